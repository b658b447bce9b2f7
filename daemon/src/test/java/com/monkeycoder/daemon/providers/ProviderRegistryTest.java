package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.providers.anthropic.AnthropicAdapter;
import com.monkeycoder.daemon.providers.gemini.GeminiAdapter;
import com.monkeycoder.shared.MonkeyPaths;
import com.monkeycoder.shared.wire.ProviderInfo;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderRegistryTest {

    @TempDir
    Path home;

    private ProviderRegistry registry(Map<String, String> keys) {
        Map<String, String> env = new java.util.HashMap<>(keys);
        env.put(MonkeyPaths.HOME_ENV, home.toString());
        return new ProviderRegistry(ModelCatalog.builtIn(), GatewayConfig.resolve(env, null, null),
                new OkHttpClient());
    }

    @Test
    void nativeProvidersAreBuiltFromTheirWireFormatsAndKeysIncludingTheGeminiAlias() {
        ProviderRegistry registry = registry(Map.of(
                "ANTHROPIC_API_KEY", "test-anthropic-key",
                "ANTHROPIC_BASE_URL", "http://127.0.0.1:9/anthropic",
                "GEMINI_API_KEY", "test-gemini-key"));

        assertThat(registry.adapter("anthropic")).get().isInstanceOf(AnthropicAdapter.class);
        assertThat(registry.adapter("google")).get().isInstanceOf(GeminiAdapter.class);
        assertThat(registry.describe())
                .filteredOn(p -> p.name().equals("anthropic") || p.name().equals("google"))
                .extracting(ProviderInfo::name, ProviderInfo::baseUrl)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("anthropic", "http://127.0.0.1:9/anthropic"),
                        org.assertj.core.groups.Tuple.tuple("google", "https://generativelanguage.googleapis.com"));
    }

    @Test
    void withoutKeysNeitherNativeProviderIsConfigured() {
        ProviderRegistry registry = registry(Map.of());

        assertThat(registry.isConfigured("anthropic")).isFalse();
        assertThat(registry.isConfigured("google")).isFalse();
        assertThat(registry.enablingEnvVars()).contains("ANTHROPIC_API_KEY", "GOOGLE_API_KEY");
    }

    @Test
    void ollamaBaseUrlWhereNothingListensLeavesOllamaUnconfigured() {
        ProviderRegistry registry = registry(Map.of("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1"));

        assertThat(registry.isConfigured("ollama")).isFalse();
        assertThat(registry.defaultCandidates()).isEmpty();
    }

    @Test
    void ollamaBaseUrlWhereAServerAnswersConfiguresOllama() throws Exception {
        try (okhttp3.mockwebserver.MockWebServer ollama = new okhttp3.mockwebserver.MockWebServer()) {
            ollama.start();
            ProviderRegistry registry = registry(Map.of("OLLAMA_BASE_URL", ollama.url("/v1").toString()));

            assertThat(registry.isConfigured("ollama")).isTrue();
            assertThat(registry.defaultCandidates()).containsExactly("ollama");
        }
    }

    @Test
    void ollamaHostConfiguresOllamaWithoutAProbe() {
        ProviderRegistry registry = registry(Map.of("OLLAMA_HOST", "127.0.0.1:9"));

        assertThat(registry.isConfigured("ollama")).isTrue();
        assertThat(registry.describe()).filteredOn(p -> p.name().equals("ollama"))
                .extracting(ProviderInfo::baseUrl).containsExactly("http://127.0.0.1:9/v1");
    }
}
