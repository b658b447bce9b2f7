package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonLogsCommandTest {

    @TempDir
    Path home;

    @Test
    void showsTheLastLinesOfTheDaemonLog() throws Exception {
        Files.createDirectories(home.resolve("state"));
        Files.writeString(home.resolve("state/daemon.log"),
                IntStream.rangeClosed(1, 60).mapToObj(i -> "line " + i + " \u00e9").collect(Collectors.joining("\n", "", "\n")));

        CliRun run = CliRun.run(Map.of("MONKEY_CODER_HOME", home.toString()), "daemon", "logs", "-n", "3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("line 58 \u00e9", "line 59 \u00e9", "line 60 \u00e9");
    }

    @Test
    void noLogYetIsAConfigurationErrorThatSaysWhy() {
        CliRun run = CliRun.run(Map.of("MONKEY_CODER_HOME", home.toString()), "daemon", "logs");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: no daemon log yet at ");
    }
}
