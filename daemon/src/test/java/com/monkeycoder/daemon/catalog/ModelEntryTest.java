package com.monkeycoder.daemon.catalog;

import com.monkeycoder.daemon.conversation.TokenCount;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelEntryTest {

    private final ModelCatalog catalog = ModelCatalog.builtIn();

    @Test
    void cachePricesComeFromTheCatalogInMicroDollars() {
        ModelEntry haiku = catalog.model("anthropic", "claude-haiku-4-5").orElseThrow();

        assertThat(haiku).extracting(ModelEntry::inputMicrosPerMillion, ModelEntry::outputMicrosPerMillion,
                        ModelEntry::cacheReadMicrosPerMillion, ModelEntry::cacheWriteMicrosPerMillion)
                .containsExactly(1_000_000L, 5_000_000L, 100_000L, 1_250_000L);
    }

    @Test
    void aModelWithoutCachePricesBillsCachedTokensAtTheInputPrice() {
        ModelEntry mini = catalog.model("groq", "llama-3.3-70b-versatile").orElseThrow();

        assertThat(mini.cacheReadMicrosPerMillion()).isEqualTo(mini.inputMicrosPerMillion());
        assertThat(mini.costMicros(new TokenCount(1_000, 500, 2_000, 0)))
                .isEqualTo(mini.costMicros(3_000, 500));
    }

    @Test
    void eachLineIsRoundedHalfUpOnItsOwnSoUncachedCostsAreUnchanged() {
        ModelEntry lite = catalog.model("google", "gemini-2.5-flash-lite").orElseThrow();

        // 5 x $0.10 = 0.5 -> 1; 5 x $0.40 = 2; 150 cache reads x $0.01 = 1.5 -> 2 (micro-dollars)
        assertThat(lite.costMicros(new TokenCount(5, 5, 150, 0))).isEqualTo(1 + 2 + 2);
        assertThat(lite.costMicros(5, 5)).isEqualTo(lite.costMicros(new TokenCount(5, 5))).isEqualTo(3);
    }
}
