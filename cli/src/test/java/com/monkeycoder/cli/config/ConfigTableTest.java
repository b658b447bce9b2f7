package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code monkey config} and the README's "Configuration" section say what the shared table ({@link ConfigKey})
 * says: the same keys, variables, defaults and readers.
 */
class ConfigTableTest {

    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path home;

    @Test
    void listJsonShowsEveryKeyOfTheTableWithItsEnvDefaultAndReader() {
        CliRun run = CliRun.run(Map.of("MONKEY_CODER_HOME", home.toString()), "config", "list", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode settings = TestGateway.parse(run.out()).path("settings");
        assertThat(settings).extracting(s -> s.path("key").asText())
                .containsExactlyElementsOf(Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList());
        for (JsonNode s : settings) {
            ConfigKey key = ConfigKey.find(s.path("key").asText()).orElseThrow();
            assertThat(s.path("env").asText()).as(key.key()).isEqualTo(key.env());
            assertThat(s.path("default").isNull() ? null : s.path("default").asText()).as(key.key())
                    .isEqualTo(key.defaultValue());
            assertThat(s.path("read_by").asText()).as(key.key()).isEqualTo(key.scope().label());
            assertThat(s.path("source").asText()).as(key.key()).isEqualTo("default");
        }
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void getKnowsEveryKeyOfTheTableAndPrintsItsDefault(ConfigKey key) {
        CliRun run = CliRun.run(Map.of("MONKEY_CODER_HOME", home.toString()), "config", "get", key.key());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(key.defaultValue() == null ? "" : key.defaultValue() + "\n");
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void readmeConfigurationSectionHasTheKeyItsVariableDefaultAndReader(ConfigKey key) throws IOException {
        String section = configurationSection();
        List<String> row = keyTable(section).stream()
                .map(l -> List.of(l.substring(1, l.length() - 1).split("\\|", -1)))
                .filter(cells -> cells.size() == 4 && names(cells.get(0)).contains(key.key()))
                .findFirst().orElse(null);

        assertThat(row).as("a row of README.md's config.json table for " + key.key()).isNotNull();
        List<String> keys = names(row.get(0));
        List<String> defaults = names(row.get(2));
        String documented = defaults.size() == keys.size() ? defaults.get(keys.indexOf(key.key()))
                : defaults.size() == 1 ? defaults.getFirst() : "(" + row.get(2).strip() + ")";
        assertThat(Optional.ofNullable(documented).filter(d -> !d.equals("none")).orElse(null))
                .as("README.md's default of " + key.key()).isEqualTo(key.defaultValue());
        assertThat(section).as("README.md names " + key.env()).contains("`" + key.env() + "`");
        assertThat(row.get(3).strip()).as("README.md's reader of " + key.key()).startsWith(key.scope().label());
    }

    /** From "## Configuration" to the next heading of its level or above, "### Paths" left out. */
    private static String configurationSection() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README.md has a Configuration section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        int paths = readme.indexOf("\n### Paths", start + 1);
        if (paths > 0 && (end < 0 || paths < end)) {
            end = paths;
        }
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /**
     * The rows of the key table: from its header to the first line that is not a row, as Markdown renders it. A
     * blank line or a sentence inside the table ends it there, and the keys after it are not in the table.
     */
    private static List<String> keyTable(String section) {
        List<String> lines = section.lines().toList();
        int header = lines.indexOf("| key | env | default | read by |");
        assertThat(header).as("README.md's config.json table has its header").isNotNegative();
        return lines.subList(header + 2, lines.size()).stream().takeWhile(l -> l.startsWith("|")).toList();
    }

    /** "`a`, `b`, none" as [a, b, none]. */
    private static List<String> names(String cell) {
        return Arrays.stream(cell.split(",")).map(String::strip).map(s -> s.replace("`", "")).toList();
    }
}
