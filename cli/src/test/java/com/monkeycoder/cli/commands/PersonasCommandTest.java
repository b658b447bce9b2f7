package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monkey personas}: the gateway's personas and task types, the built-in ones and the user's own. */
class PersonasCommandTest {

    @TempDir
    Path home;

    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        // A persona of the user's own, in the config folder the gateway reads.
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/tasks.json"), """
                {"personas": [{"name": "rustacean", "description": "Rust, the safe way", "model_class": "strong_coding",
                               "system_prompt": "You write idiomatic, safe Rust."}]}
                """);
        gateway = TestGateway.start(home, Map.of());
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void tablesListPersonasAndTaskTypesWithTheDefaultsMarked() {
        CliRun run = CliRun.run(env, "personas");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines().getFirst()).startsWith("PERSONA").endsWith("DESCRIPTION");
        assertThat(run.tableRow("developer (default)")).hasSize(3);
        assertThat(run.tableRow("backend")).containsExactly("backend", "strong_coding", "APIs, services and data stores");
        assertThat(run.tableRow("rustacean")).containsExactly("rustacean", "strong_coding", "Rust, the safe way");
        assertThat(run.tableRow("code_generation (default)")).contains("Write new code");
        assertThat(run.tableRow("question")).contains("fast_cheap");
    }

    @Test
    void jsonHasTheDefaultPersonasAndTaskTypes() {
        CliRun run = CliRun.run(env, "personas", "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode doc = TestGateway.parse(run.out());
        assertThat(doc.path("default_persona").asText()).isEqualTo("developer");
        assertThat(doc.path("personas")).extracting(p -> p.path("name").asText())
                .contains("developer", "backend", "frontend", "devops", "tester", "reviewer", "docs", "rustacean");
        assertThat(doc.path("task_types")).extracting(t -> t.path("name").asText())
                .containsExactly("code_generation", "code_review", "testing", "documentation", "refactoring", "question");
        assertThat(doc.path("personas").path(0).has("system_prompt")).isFalse();
    }

    @Test
    void unreachableGatewayIsANetworkFailure() {
        gateway.close();

        CliRun run = CliRun.run(env, "personas");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: cannot reach the gateway");
    }
}
