package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.OpenAiAnswer;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.monkeycoder.cli.ExitCodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monkey implement} takes its base URL, model, provider and persona from flag > env > config.json. */
class ConfigDefaultsTest {

    @TempDir
    Path gatewayHome;
    @TempDir
    Path cliHome;

    private MockWebServer openai;
    private TestGateway gateway;
    /** The CLI's own home: no base URL in the environment, only the API key. */
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(gatewayHome, Map.of("OPENAI_API_KEY", "sk-test-upstream-key-defaults-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
        env = Map.of("MONKEY_CODER_HOME", cliHome.toString(), "MONKEY_CODER_API_KEY", TestGateway.KEY);
        set("base_url", gateway.baseUrl());
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    private void set(String key, String value) {
        CliRun run = CliRun.run(env, "config", "set", key, value);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void baseUrlFromConfigReachesTheGateway() {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "hello");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Monkey Coder offline demo");
    }

    @Test
    void defaultProviderFromConfigIsUsedWithoutFlags() {
        set("default_provider", "demo");

        CliRun run = CliRun.run(env, "implement", "hello");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Monkey Coder offline demo");
        assertThat(openai.getRequestCount()).isZero();
    }

    @Test
    void defaultModelAndPersonaFromConfigReachTheProvider() throws Exception {
        set("default_model", "openai/gpt-4.1-nano");
        set("default_persona", "reviewer");
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = CliRun.run(env, "implement", "hello");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode sent = upstream();
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1-nano");
        assertThat(sent.path("messages").path(0).path("content").asText()).contains("meticulous code reviewer");
    }

    @Test
    void environmentBeatsConfigAndFlagBeatsEnvironment() throws Exception {
        set("default_model", "openai/gpt-4.1-nano");
        Map<String, String> withEnv = CliRun.with(env, "MONKEY_CODER_MODEL", "openai/gpt-4.1-mini");
        openai.enqueue(OpenAiAnswer.stream("ok"));
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun fromEnv = CliRun.run(withEnv, "implement", "hello");
        String envModel = upstream().path("model").asText();
        CliRun fromFlag = CliRun.run(withEnv, "implement", "--model", "openai/gpt-4.1", "hello");
        String flagModel = upstream().path("model").asText();

        assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
        assertThat(fromFlag.exitCode()).as(fromFlag.err()).isZero();
        assertThat(envModel).isEqualTo("gpt-4.1-mini");
        assertThat(flagModel).isEqualTo("gpt-4.1");
    }

    @Test
    void providerFlagSetsADefaultModelOfAnotherProviderAside() {
        set("default_model", "openai/gpt-4.1-nano");

        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "hello");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Monkey Coder offline demo");
        assertThat(openai.getRequestCount()).isZero();
    }

    @Test
    void baseUrlFlagBeatsConfig() {
        CliRun run = CliRun.run(env, "implement", "--base-url", "http://127.0.0.1:9", "--provider", "demo", "hello");

        assertThat(run.exitCode()).isEqualTo(com.monkeycoder.cli.ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.err()).contains("http://127.0.0.1:9");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "default_model    | gpt-9     | is not a model the gateway at URL knows (monkey models lists them; --force sets it anyway)",
            "default_model    | openai/gpt-9 | is not a model the gateway at URL knows (monkey models lists them; --force sets it anyway)",
            "default_persona  | pirate    | is not a persona of the gateway at URL: use one of developer, backend, frontend, devops, tester, reviewer, docs (monkey personas lists them)",
            "default_provider | nosuch    | is not a provider of the gateway at URL: use one of ",
    })
    void setRefusesAModelPersonaOrProviderTheGatewayDoesNotKnow(String key, String value, String problem) throws IOException {
        CliRun run = CliRun.run(env, "config", "set", key, value);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("monkey: " + key + " '" + value + "' " + problem.replace("URL", gateway.baseUrl()));
        assertThat(TestGateway.parse(Files.readString(configFile())).has(key)).as("config.json untouched").isFalse();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "default_model, openai/gpt-4.1-mini",
            "default_model, gpt-4.1-mini",
            "default_model, openai/gpt-4.1-2025-04-14",
            "default_model, ollama/qwen3:8b",
            "default_provider, demo",
            "default_persona, backend",
    })
    void setTakesNamesTheGatewayKnowsAliasesAndAnyModelOfOllama(String key, String value) {
        CliRun run = CliRun.run(env, "config", "set", key, value);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("Set " + key + " = " + value + " in " + configFile() + "\n");
    }

    @Test
    void whenTheGatewayCannotBeAskedSetSaysSoAndForceSetsItAnyway() throws IOException {
        set("base_url", "http://127.0.0.1:9");

        CliRun refused = CliRun.run(env, "config", "set", "default_model", "openai/gpt-4.1-mini");
        CliRun forced = CliRun.run(env, "config", "set", "--force", "default_model", "openai/gpt-4.1-mini");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(refused.errLines()).singleElement().asString()
                .startsWith("monkey: cannot check default_model 'openai/gpt-4.1-mini' against the gateway: cannot reach "
                        + "the gateway at http://127.0.0.1:9").endsWith("; add --force to set it unchecked");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(TestGateway.parse(Files.readString(configFile())).path("default_model").asText())
                .isEqualTo("openai/gpt-4.1-mini");
    }

    @Test
    void aBadDefaultIsNamedWithTheFileOrVariableItCameFrom() {
        CliRun.run(env, "config", "set", "--force", "default_persona", "pirate");

        CliRun fromConfig = CliRun.run(env, "implement", "--provider", "demo", "hello");
        CliRun fromFlag = CliRun.run(env, "implement", "--provider", "demo", "--persona", "pirate", "hello");
        CliRun fromEnv = CliRun.run(CliRun.with(env, "MONKEY_CODER_MODEL", "gpt-9"), "implement", "--persona",
                "developer", "hello");

        assertThat(fromConfig.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromConfig.out()).isEmpty();
        assertThat(fromConfig.errLines()).containsExactly("monkey: default_persona 'pirate' from " + configFile()
                + " is not a known persona (monkey personas lists them; monkey config set default_persona NAME, "
                + "or monkey config unset default_persona)");
        assertThat(fromFlag.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromFlag.errLines()).singleElement().asString().startsWith("monkey: --persona is not a known persona")
                .doesNotContain("config");
        assertThat(fromEnv.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromEnv.errLines()).singleElement().asString()
                .startsWith("monkey: MONKEY_CODER_MODEL 'gpt-9' from the environment is not a known model")
                .endsWith("(monkey models lists them; change or unset MONKEY_CODER_MODEL)");
    }

    private Path configFile() {
        return cliHome.resolve("config/config.json");
    }

    private JsonNode upstream() throws InterruptedException {
        RecordedRequest r = openai.takeRequest(2, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        return TestGateway.parse(r.getBody().readUtf8());
    }
}
