package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monkey config get|set|unset|list|path} on config.json, with flag > env > config > default. */
class ConfigCommandTest {

    @TempDir
    Path home;

    private Map<String, String> env;
    private Path configFile;

    @BeforeEach
    void env() {
        env = Map.of("MONKEY_CODER_HOME", home.toString());
        configFile = home.resolve("config/config.json");
    }

    @Test
    void listShowsEveryKeyWithItsDefaultWhenNothingIsConfigured() {
        CliRun run = CliRun.run(env, "config", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines().getFirst()).startsWith("KEY").contains("VALUE", "SOURCE", "READ BY");
        assertThat(run.tableRow("port")).containsExactly("port", "8420", "default", "gateway");
        assertThat(run.tableRow("upstream_timeout_seconds")).containsExactly("upstream_timeout_seconds", "120", "default", "gateway");
        assertThat(run.tableRow("base_url")).containsExactly("base_url", "local", "default", "cli");
        assertThat(run.tableRow("default_model")).containsExactly("default_model", "(unset)", "default", "cli");
        for (String key : new String[]{"upstream_connect_timeout_seconds", "drain_timeout_seconds", "max_attempts",
                "breaker_failures", "breaker_cooldown_seconds", "demo_delay_ms", "default_provider", "default_persona"}) {
            assertThat(run.tableRow(key)).hasSize(4);
        }
        assertThat(run.out()).contains("config file: " + configFile + " (not created yet)");
    }

    @Test
    void eachLevelOfPrecedenceWinsOverTheOnesBelowIt() {
        assertThat(CliRun.run(env, "config", "set", "port", "9000").exitCode()).isZero();
        Map<String, String> withEnv = CliRun.with(env, "MONKEY_CODER_PORT", "9100");

        assertThat(CliRun.run(env, "config", "list").tableRow("port")).containsExactly("port", "9000", "config", "gateway");
        assertThat(CliRun.run(withEnv, "config", "list").tableRow("port"))
                .containsExactly("port", "9100", "env MONKEY_CODER_PORT", "gateway");
        assertThat(CliRun.run(withEnv, "config", "list", "--port", "9200").tableRow("port"))
                .containsExactly("port", "9200", "flag --port", "gateway");
        assertThat(CliRun.run(withEnv, "config", "get", "port").out()).isEqualTo("9100\n");
    }

    @Test
    void setWritesTypedValuesAndKeepsKeysItDoesNotKnow() throws IOException {
        Files.createDirectories(configFile.getParent());
        Files.writeString(configFile, "{\"routing\": {\"classes\": {}}, \"host\": \"0.0.0.0\"}");

        CliRun port = CliRun.run(env, "config", "set", "port", "8421");
        // --force: no gateway here to check the model against (ConfigDefaultsTest checks against one).
        CliRun model = CliRun.run(env, "config", "set", "--force", "default_model", "openai/gpt-4.1-mini");

        assertThat(port.exitCode()).isZero();
        assertThat(port.out()).isEqualTo("Set port = 8421 in " + configFile + "\n");
        assertThat(port.err()).contains("the daemon reads port when it starts").contains("monkey daemon stop");
        assertThat(model.err()).isEmpty();
        JsonNode file = TestGateway.parse(Files.readString(configFile));
        assertThat(file.path("port").isInt()).isTrue();
        assertThat(file.path("port").asInt()).isEqualTo(8421);
        assertThat(file.path("default_model").asText()).isEqualTo("openai/gpt-4.1-mini");
        assertThat(file.path("routing").has("classes")).isTrue();
        assertThat(file.path("host").asText()).isEqualTo("0.0.0.0");
        assertThat(CliRun.run(env, "config", "get", "default_model").out()).isEqualTo("openai/gpt-4.1-mini\n");
        assertThat(home.resolve("config")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void setSaysWhenTheEnvironmentHidesTheNewValue() {
        CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_MODEL", "groq/x"), "config", "set", "--force", "default_model", "openai/y");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("MONKEY_CODER_MODEL is set in the environment and takes precedence");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "port, eighty, must be a whole number",
            "port, 70000, from 0 to 65535",
            "max_attempts, 0, at least 1",
            "base_url, ftp://example.com, 'local' or an http(s) URL",
            "nosuchkey, 1, the keys are port",
    })
    void badKeyOrValueIsAUsageErrorAndTheFileIsNotTouched(String key, String value, String message) {
        CliRun run = CliRun.run(env, "config", "set", key, value);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: ").contains(message);
        assertThat(configFile).doesNotExist();
    }

    @Test
    void unsetRemovesTheKeySoTheDefaultAppliesAgain() {
        CliRun.run(env, "config", "set", "--force", "default_persona", "backend");

        CliRun unset = CliRun.run(env, "config", "unset", "default_persona");
        CliRun again = CliRun.run(env, "config", "unset", "default_persona");

        assertThat(unset.out()).isEqualTo("Removed default_persona from " + configFile + "\n");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("is not set");
        assertThat(CliRun.run(env, "config", "get", "default_persona").out()).isEmpty();
    }

    @Test
    void getJsonAndListJsonSayValueSourceAndWhoReadsIt() {
        CliRun.run(env, "config", "set", "demo_delay_ms", "0");

        JsonNode one = TestGateway.parse(CliRun.run(env, "config", "get", "demo_delay_ms", "--json").out());
        JsonNode all = TestGateway.parse(CliRun.run(env, "config", "list", "--json").out());

        assertThat(one.path("value").isInt()).isTrue();
        assertThat(one.path("value").asInt()).isZero();
        assertThat(one.path("source").asText()).isEqualTo("config");
        assertThat(one.path("env").asText()).isEqualTo("MONKEY_CODER_DEMO_DELAY_MS");
        assertThat(one.path("read_by").asText()).isEqualTo("gateway");
        assertThat(all.path("config_file").asText()).isEqualTo(configFile.toString());
        assertThat(all.path("settings")).extracting(s -> s.path("key").asText()).contains("port", "base_url",
                "default_model", "default_provider", "default_persona", "breaker_cooldown_seconds");
        assertThat(all.path("settings")).filteredOn(s -> s.path("key").asText().equals("default_model"))
                .singleElement().satisfies(s -> assertThat(s.path("value").isNull()).isTrue());
    }

    @Test
    void pathPrintsTheConfigFileAndJsonAddsTheFolders() {
        CliRun plain = CliRun.run(env, "config", "path");
        JsonNode json = TestGateway.parse(CliRun.run(env, "config", "path", "--json").out());

        assertThat(plain.out()).isEqualTo(configFile + "\n");
        assertThat(json.path("state_dir").asText()).isEqualTo(home.resolve("state").toString());
        assertThat(json.path("data_dir").asText()).isEqualTo(home.resolve("data").toString());
    }

    @Test
    void brokenConfigFileIsAConfigurationErrorThatSaysWhere() throws IOException {
        Files.createDirectories(configFile.getParent());
        Files.writeString(configFile, "{\"port\": 8420,");

        CliRun run = CliRun.run(env, "config", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.errLines()).singleElement().asString().contains(configFile.toString()).contains("not valid JSON");
    }

    @Test
    void configWithoutASubcommandIsAUsageError() {
        CliRun run = CliRun.run(env, "config");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("get, set, unset, list or path");
    }
}
