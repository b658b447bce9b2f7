package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line {@code monkey daemon start} runs in the background (no daemon is started here). */
class DaemonControlTest {

    @TempDir
    Path home;

    private List<String> jvmOptions(Map<String, String> env) {
        List<String> command = new DaemonControl(new CliContext(env, false)).command(8420);
        int java = command.indexOf(command.stream().filter(a -> a.endsWith("java")).findFirst().orElseThrow());
        return command.subList(java + 1, command.indexOf("-cp"));
    }

    @Test
    void daemonRunsWithTheDefaultJvmOptions() {
        assertThat(jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString())))
                .containsExactlyElementsOf(concat(DaemonControl.DEFAULT_JAVA_OPTS, "--enable-native-access=ALL-UNNAMED"));
    }

    @Test
    void daemonJavaOptsReplaceTheDefaults() {
        List<String> options = jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString(),
                DaemonControl.JAVA_OPTS_ENV, "  -Xmx1g   -XX:+UseG1GC "));

        assertThat(options).containsExactly("-Xmx1g", "-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void blankDaemonJavaOptsMeanTheDefaults() {
        assertThat(jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString(), DaemonControl.JAVA_OPTS_ENV, " ")))
                .containsExactlyElementsOf(concat(DaemonControl.DEFAULT_JAVA_OPTS, "--enable-native-access=ALL-UNNAMED"));
    }

    @Test
    void daemonRunsTheGatewayInTheForegroundOnTheChosenPort() {
        List<String> command = new DaemonControl(new CliContext(Map.of("MONKEY_CODER_HOME", home.toString()), false))
                .command(9123);

        assertThat(command).endsWith("com.monkeycoder.cli.Main", "daemon", "run", "--port", "9123");
    }

    @Test
    void theSpawnedDaemonGetsTheGatewayClassPathTheLauncherNames() {
        String before = System.getProperty(DaemonControl.GATEWAY_CLASSPATH_PROPERTY);
        try {
            System.setProperty(DaemonControl.GATEWAY_CLASSPATH_PROPERTY, "/opt/mc/lib/a.jar:/opt/mc/lib/b.jar");
            List<String> command = new DaemonControl(new CliContext(Map.of("MONKEY_CODER_HOME", home.toString()),
                    false)).command(9123);
            assertThat(command.get(command.indexOf("-cp") + 1)).isEqualTo("/opt/mc/lib/a.jar:/opt/mc/lib/b.jar");
            System.clearProperty(DaemonControl.GATEWAY_CLASSPATH_PROPERTY);
            assertThat(DaemonControl.gatewayClassPath()).isEqualTo(System.getProperty("java.class.path"));
        } finally {
            if (before != null) {
                System.setProperty(DaemonControl.GATEWAY_CLASSPATH_PROPERTY, before);
            }
        }
    }

    @Test
    void theSpawnedDaemonUsesTheGatewayCacheTheLauncherNames() {
        String before = System.getProperty(DaemonControl.GATEWAY_AOT_PROPERTY);
        try {
            System.setProperty(DaemonControl.GATEWAY_AOT_PROPERTY, " -XX:AOTCache=/opt/mc/aot/g.aot -Xlog:aot=off ");
            assertThat(jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString()))).containsExactlyElementsOf(concat(
                    concat(concat(DaemonControl.DEFAULT_JAVA_OPTS, "-XX:AOTCache=/opt/mc/aot/g.aot"), "-Xlog:aot=off"),
                    "--enable-native-access=ALL-UNNAMED"));
            System.setProperty(DaemonControl.GATEWAY_AOT_PROPERTY, ""); // the launcher found no cache
            assertThat(jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString())))
                    .containsExactlyElementsOf(concat(DaemonControl.DEFAULT_JAVA_OPTS, "--enable-native-access=ALL-UNNAMED"));
        } finally {
            if (before == null) {
                System.clearProperty(DaemonControl.GATEWAY_AOT_PROPERTY);
            } else {
                System.setProperty(DaemonControl.GATEWAY_AOT_PROPERTY, before);
            }
        }
    }

    /** 'monkey daemon run' through the installed launcher gets the same defaults as 'monkey daemon start'. */
    @Test
    void theInstalledLauncherGivesDaemonRunTheSameDefaults() throws java.io.IOException {
        Path installSh = Path.of(System.getProperty("user.dir")).resolveSibling("install.sh");
        assertThat(java.nio.file.Files.readString(installSh))
                .contains("DAEMON_JAVA_OPTS_DEFAULT=\"" + String.join(" ", DaemonControl.DEFAULT_JAVA_OPTS) + "\"")
                .contains("MONKEY_CODER_DAEMON_JAVA_OPTS");
        assertThat(DaemonControl.JAVA_OPTS_ENV).isEqualTo("MONKEY_CODER_DAEMON_JAVA_OPTS");
    }

    private static List<String> concat(List<String> first, String last) {
        List<String> all = new java.util.ArrayList<>(first);
        all.add(last);
        return all;
    }
}
