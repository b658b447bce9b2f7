package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code monkey models} and {@code monkey providers} against a gateway where Groq has a key, OpenAI has none, and
 * the demo needs none: each says which can be used, and none ever prints the key.
 */
class CatalogCommandsTest {

    private static final String GROQ_KEY = "gsk-test-upstream-key-catalog-0000";

    @TempDir
    Path home;

    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() {
        // Nothing listens on port 9: the gateway must never call Groq in these tests.
        gateway = TestGateway.start(home, Map.of("GROQ_API_KEY", GROQ_KEY, "GROQ_BASE_URL", "http://127.0.0.1:9/v1"));
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void modelsTableSaysWhichModelsAreReady() {
        CliRun run = CliRun.run(env, "models");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines().getFirst()).startsWith("MODEL").endsWith("READY");
        assertThat(run.tableRow("openai/gpt-4.1-mini")).last().isEqualTo("no");
        assertThat(run.tableRow("demo/monkey-demo")).last().isEqualTo("yes");
        assertThat(run.tableRow("groq/llama-3.3-70b-versatile")).last().isEqualTo("yes");
        assertThat(run.allOutput()).doesNotContain(GROQ_KEY);
    }

    @Test
    void modelsTableAndJsonShowTheAliasesModelTakes() {
        CliRun table = CliRun.run(env, "models");
        CliRun json = CliRun.run(env, "models", "--json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.err()).isEmpty();
        assertThat(table.outLines().getFirst()).startsWith("MODEL").contains("ALIASES");
        assertThat(table.tableRow("anthropic/claude-sonnet-4-5")).element(1)
                .isEqualTo("claude-sonnet-4-5-20250929, sonnet");
        assertThat(table.tableRow("demo/monkey-demo")).element(1).isEqualTo("demo");
        assertThat(find(TestGateway.parse(json.out()).path("data"), "id", "anthropic/claude-sonnet-4-5")
                .path("aliases")).extracting(JsonNode::asText).contains("sonnet");
    }

    @Test
    void modelsAvailableLeavesOutUnconfiguredProviders() {
        CliRun run = CliRun.run(env, "models", "--available");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("demo/monkey-demo").contains("groq/").doesNotContain("openai/gpt-4.1-mini");
    }

    @Test
    void modelsJsonIsTheGatewaysListWithAvailability() {
        CliRun run = CliRun.run(env, "models", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode list = TestGateway.parse(run.out());
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(available(list.path("data"), "id", "openai/gpt-4.1-mini")).isFalse();
        assertThat(available(list.path("data"), "id", "demo/monkey-demo")).isTrue();
        assertThat(run.allOutput()).doesNotContain(GROQ_KEY);
    }

    @Test
    void providersTableSaysWhichAreReadyAndWhatEnablesTheOthers() {
        CliRun run = CliRun.run(env, "providers");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.tableRow("openai")).containsSubsequence("openai", "no", "gpt-4.1-mini", "OPENAI_API_KEY");
        assertThat(run.tableRow("groq")).containsSubsequence("groq", "yes", "llama-3.3-70b-versatile", "GROQ_API_KEY");
        assertThat(run.tableRow("demo")).containsSubsequence("demo", "yes", "monkey-demo");
        assertThat(run.tableRow("google")).contains("GOOGLE_API_KEY or GEMINI_API_KEY");
        assertThat(run.allOutput()).doesNotContain(GROQ_KEY);
    }

    @Test
    void providersJsonIsTheGatewaysList() {
        CliRun run = CliRun.run(env, "providers", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode providers = TestGateway.parse(run.out()).path("providers");
        assertThat(configured(providers, "openai")).isFalse();
        assertThat(configured(providers, "groq")).isTrue();
        assertThat(configured(providers, "demo")).isTrue();
        assertThat(find(providers, "name", "openai").path("key_env").path(0).asText()).isEqualTo("OPENAI_API_KEY");
        assertThat(run.allOutput()).doesNotContain(GROQ_KEY);
    }

    private static boolean available(JsonNode models, String field, String id) {
        return find(models, field, id).path("available").asBoolean();
    }

    private static boolean configured(JsonNode providers, String name) {
        return find(providers, "name", name).path("configured").asBoolean();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        return StreamSupport.stream(array.spliterator(), false).filter(n -> n.path(field).asText().equals(value))
                .findFirst().orElseThrow(() -> new AssertionError("no " + field + "=" + value + " in " + array));
    }
}
