package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.shared.MonkeyPaths;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a request's {@code model} and {@code preferred_providers} pick a provider, against the built-in catalog. */
class RouteResolverTest {

    private static final OkHttpClient HTTP = new OkHttpClient();

    @TempDir
    Path home;

    @AfterAll
    static void releaseHttp() {
        HTTP.dispatcher().executorService().shutdown();
        HTTP.connectionPool().evictAll();
    }

    /** A resolver over a registry configured with exactly these env vars (and no Ollama unless asked for). */
    private RouteResolver resolver(String... keyEnvs) {
        Map<String, String> env = new HashMap<>();
        env.put(MonkeyPaths.HOME_ENV, home.toString());
        // Where nothing listens, so a local Ollama on the machine running the tests never joins in.
        env.put("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1");
        for (String name : keyEnvs) {
            env.put(name, name.equals("OLLAMA_HOST") ? "127.0.0.1:9" : "test-key-for-" + name.toLowerCase());
        }
        return new RouteResolver(new ProviderRegistry(ModelCatalog.builtIn(), GatewayConfig.resolve(env, 0, null), HTTP));
    }

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource({
            "gpt-4.1-mini, openai, gpt-4.1-mini",
            "claude-sonnet-4-5, anthropic, claude-sonnet-4-5",
            "gemini-2.5-flash, google, gemini-2.5-flash",
            "llama-3.3-70b-versatile, groq, llama-3.3-70b-versatile",
            "grok-3-mini, xai, grok-3-mini",
            "sonar, perplexity, sonar",
            "monkey-demo, demo, monkey-demo"})
    void bareModelResolvesToTheProviderTheCatalogNames(String model, String provider, String id) {
        RouteResolver resolver = resolver("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GROQ_API_KEY",
                "XAI_API_KEY", "PERPLEXITY_API_KEY");

        Route route = resolver.resolve(model, null);

        assertThat(route.provider()).isEqualTo(provider);
        assertThat(route.model().id()).isEqualTo(id);
        assertThat(route.adapter().name()).isEqualTo(provider);
    }

    @Test
    void providerSlashModelNamesTheProvider() {
        RouteResolver resolver = resolver("OPENAI_API_KEY", "GROQ_API_KEY");

        Route route = resolver.resolve("groq/llama-3.1-8b-instant", null);

        assertThat(route.provider()).isEqualTo("groq");
        assertThat(route.model().id()).isEqualTo("llama-3.1-8b-instant");
        assertThat(route.model().qualifiedId()).isEqualTo("groq/llama-3.1-8b-instant");
    }

    @Test
    void providerSlashModelWinsOverPreferredOrderWhenThePreferredIncludeIt() {
        RouteResolver resolver = resolver("OPENAI_API_KEY", "GROQ_API_KEY");

        Route route = resolver.resolve("groq/llama-3.3-70b-versatile", List.of("openai", "groq"));

        assertThat(route.provider()).isEqualTo("groq");
    }

    @Test
    void modelOfAProviderOutsideThePreferredOnesIsRefused() {
        RouteResolver resolver = resolver("OPENAI_API_KEY", "GROQ_API_KEY");

        assertThatThrownBy(() -> resolver.resolve("openai/gpt-4.1-mini", List.of("groq")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void preferredProvidersAreTriedInTheirOrderSkippingUnconfiguredOnes() {
        RouteResolver resolver = resolver("OPENAI_API_KEY", "GROQ_API_KEY");

        assertThat(resolver.resolve(null, List.of("groq", "openai")).provider()).isEqualTo("groq");
        assertThat(resolver.resolve(null, List.of("openai", "groq")).provider()).isEqualTo("openai");
        assertThat(resolver.resolve("", List.of("anthropic", "groq", "openai")).provider()).isEqualTo("groq");
        assertThat(resolver.resolve(null, List.of("groq")).model().id())
                .as("a provider named alone answers with its default model").isEqualTo("llama-3.3-70b-versatile");
    }

    @Test
    void withoutModelOrPreferenceTheFirstConfiguredProviderInCatalogOrderAnswersAndNeverTheDemo() {
        assertThat(resolver("GROQ_API_KEY", "OPENAI_API_KEY").resolve(null, null).provider()).isEqualTo("openai");
        assertThat(resolver("MOONSHOT_API_KEY", "GROQ_API_KEY").resolve(null, List.of()).provider()).isEqualTo("groq");

        assertThatThrownBy(() -> resolver().resolve(null, null)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
            assertThat(e.details()).containsEntry("reason", "no_provider_configured");
        });
    }

    @Test
    void demoAnswersWhenNamed() {
        RouteResolver resolver = resolver();

        assertThat(resolver.resolve(null, List.of("demo")).model().qualifiedId()).isEqualTo("demo/monkey-demo");
        assertThat(resolver.resolve("demo/monkey-demo", null).provider()).isEqualTo("demo");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "openrouter/openai/gpt-4o-mini, openai/gpt-4o-mini",
            "openrouter/anthropic/claude-sonnet-4, anthropic/claude-sonnet-4",
            "openrouter/meta-llama/llama-3.3-70b-instruct, meta-llama/llama-3.3-70b-instruct"})
    void openRouterIdsWithSlashesResolveToOpenRouter(String model, String openRouterId) {
        RouteResolver resolver = resolver("OPENROUTER_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY");

        Route route = resolver.resolve(model, null);

        assertThat(route.provider()).isEqualTo("openrouter");
        assertThat(route.model().id()).isEqualTo(openRouterId);
        assertThat(route.model().qualifiedId()).isEqualTo(model);
    }

    @Test
    void openRouterIdWithoutItsPrefixIsTheOriginalProvidersModel() {
        RouteResolver resolver = resolver("OPENROUTER_API_KEY", "OPENAI_API_KEY");

        Route route = resolver.resolve("openai/gpt-4o-mini", null);

        assertThat(route.provider()).isEqualTo("openai");
        assertThat(route.model().id()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void ollamaTakesAnyModelWhenNamed() {
        RouteResolver resolver = resolver("OLLAMA_HOST");

        Route named = resolver.resolve("ollama/qwen2.5-coder:7b", null);
        assertThat(named.provider()).isEqualTo("ollama");
        assertThat(named.model().id()).isEqualTo("qwen2.5-coder:7b");
        assertThat(named.model().costMicros(new com.monkeycoder.daemon.conversation.TokenCount(1000, 1000))).isZero();

        Route preferred = resolver.resolve("deepseek-r1:14b", List.of("ollama"));
        assertThat(preferred.provider()).isEqualTo("ollama");
        assertThat(preferred.model().id()).isEqualTo("deepseek-r1:14b");

        assertThat(resolver.resolve("llama3.2", null).provider()).as("its catalog model resolves bare").isEqualTo("ollama");
    }

    @Test
    void anyModelNameIsUnknownWhenOllamaIsNotNamed() {
        RouteResolver resolver = resolver("OLLAMA_HOST", "OPENAI_API_KEY");

        assertThatThrownBy(() -> resolver.resolve("qwen2.5-coder:7b", null))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void unconfiguredProvidersModelIsUnavailableNamingItsKeyEnv() {
        RouteResolver resolver = resolver("OPENAI_API_KEY");

        assertThatThrownBy(() -> resolver.resolve("gemini-2.5-pro", null)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
            assertThat(e.details()).containsEntry("reason", "provider_not_configured").containsEntry("provider", "google")
                    .containsEntry("env", List.of("GOOGLE_API_KEY", "GEMINI_API_KEY"));
            assertThat(e.getMessage()).contains("GOOGLE_API_KEY").doesNotContain("test-key");
        });
        assertThatThrownBy(() -> resolver.resolve("ollama/llama3.2", null)).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(e.details()).containsEntry("env", List.of("OLLAMA_HOST")));
    }

    @Test
    void unknownNamesAreBadRequestsWithCloseSuggestions() {
        RouteResolver resolver = resolver("OPENAI_API_KEY");

        assertThatThrownBy(() -> resolver.resolve("gpt-4.1-mnii", null)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.details().get("suggestions")).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.list(String.class)).first().isEqualTo("openai/gpt-4.1-mini");
        });
        assertThatThrownBy(() -> resolver.resolve("anthropic/claude-sonet-4-5", null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.details().get("suggestions")).asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                        .first().isEqualTo("anthropic/claude-sonnet-4-5"));
        assertThatThrownBy(() -> resolver.resolve(null, List.of("openai", "skynet"))).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.details()).containsEntry("provider", "skynet"));
        assertThatThrownBy(() -> resolver.resolve("skynet/t-800", null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void aMisspelledAliasSuggestsTheAliasBeforeFartherIds() {
        RouteResolver resolver = resolver("OPENAI_API_KEY");

        // "sonet" is one edit from the alias sonnet and two from perplexity's sonar.
        assertThatThrownBy(() -> resolver.resolve("sonet", null)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.details().get("suggestions")).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                    .containsExactly("sonnet", "perplexity/sonar");
            assertThat(e.getMessage()).isEqualTo("unknown model 'sonet'; did you mean sonnet, perplexity/sonar?");
        });
        assertThatThrownBy(() -> resolver.resolve("anthropic/sonet", null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.details().get("suggestions")).asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                        .first().isEqualTo("anthropic/sonnet"));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(com.monkeycoder.shared.text.EditDistance.between("kitten", "sitting")).isEqualTo(3);
        assertThat(com.monkeycoder.shared.text.EditDistance.between("gpt-4.1-mnii", "gpt-4.1-mini")).isEqualTo(2);
        assertThat(com.monkeycoder.shared.text.EditDistance.between("", "abc")).isEqualTo(3);
        assertThat(com.monkeycoder.shared.text.EditDistance.between("same", "same")).isZero();
    }
}
