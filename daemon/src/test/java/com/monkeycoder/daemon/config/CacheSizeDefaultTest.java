package com.monkeycoder.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The response cache's memory bound when neither config.json nor the environment sets it. */
class CacheSizeDefaultTest {

    private static final long MB = 1024 * 1024;

    @ParameterizedTest(name = "a heap of {0} MB gets a cache of {1} MB")
    @CsvSource({"128, 32", "123, 30", "256, 64", "6144, 64", "2, 1"})
    void aQuarterOfTheHeapAtMostSixtyFourMegabytes(long heapMb, int cacheMb) {
        assertThat(GatewayConfig.defaultCacheMb(heapMb * MB)).isEqualTo(cacheMb);
    }

    @Test
    void anExplicitSizeWins(@TempDir Path home) {
        GatewayConfig config = GatewayConfig.resolve(Map.of("MONKEY_CODER_HOME", home.toString(),
                "MONKEY_CODER_CACHE_MB", "100"), 0, GatewayMode.LOCAL);

        assertThat(config.cache().maxMemoryBytes()).isEqualTo(100 * MB);
    }

    @Test
    void withNothingSetTheDefaultFollowsThisJvmsHeap(@TempDir Path home) {
        GatewayConfig config = GatewayConfig.resolve(Map.of("MONKEY_CODER_HOME", home.toString()), 0, GatewayMode.LOCAL);

        assertThat(config.cache().maxMemoryBytes())
                .isEqualTo(GatewayConfig.defaultCacheMb(Runtime.getRuntime().maxMemory()) * MB);
    }
}
