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
                .containsExactlyElementsOf(concat(DaemonControl.DEFAULT_JAVA_OPTS, QUIETING));
    }

    @Test
    void daemonJavaOptsReplaceTheDefaults() {
        List<String> options = jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString(),
                DaemonControl.JAVA_OPTS_ENV, "  -Xmx1g   -XX:+UseG1GC "));

        assertThat(options).containsExactlyElementsOf(concat(List.of("-Xmx1g", "-XX:+UseG1GC"), QUIETING));
    }

    @Test
    void blankDaemonJavaOptsMeanTheDefaults() {
        assertThat(jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString(), DaemonControl.JAVA_OPTS_ENV, " ")))
                .containsExactlyElementsOf(concat(DaemonControl.DEFAULT_JAVA_OPTS, QUIETING));
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
                    QUIETING));
            System.setProperty(DaemonControl.GATEWAY_AOT_PROPERTY, ""); // the launcher found no cache
            assertThat(jvmOptions(Map.of("MONKEY_CODER_HOME", home.toString())))
                    .containsExactlyElementsOf(concat(DaemonControl.DEFAULT_JAVA_OPTS, QUIETING));
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
                .contains("MONKEY_CODER_DAEMON_JAVA_OPTS")
                // the same rule as quietingOptions: the Unsafe option from JDK 23 on, for 'daemon run' too
                .contains("unsafe_option() { if [ \"${1:-0}\" -ge 23 ]").contains("\\$UNSAFE_OPT -cp \"\\$GATEWAY_CP\"");
        assertThat(DaemonControl.JAVA_OPTS_ENV).isEqualTo("MONKEY_CODER_DAEMON_JAVA_OPTS");
    }

    @Test
    void theUnsafeWarningsOptionGoesOnlyToAJavaThatKnowsIt() {
        assertThat(DaemonControl.quietingOptions(Runtime.Version.parse("21.0.5")))
                .containsExactly("--enable-native-access=ALL-UNNAMED");
        assertThat(DaemonControl.quietingOptions(Runtime.Version.parse("22")))
                .containsExactly("--enable-native-access=ALL-UNNAMED");
        assertThat(DaemonControl.quietingOptions(Runtime.Version.parse("23")))
                .containsExactly("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
        assertThat(DaemonControl.quietingOptions(Runtime.Version.parse("25.0.1")))
                .contains("--sun-misc-unsafe-memory-access=allow");
    }

    /** What this JVM's daemon gets to keep the JVM's own warnings out of its log. */
    private static final List<String> QUIETING = DaemonControl.quietingOptions(Runtime.version());

    private static List<String> concat(List<String> first, List<String> last) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(last);
        return all;
    }

    private static List<String> concat(List<String> first, String last) {
        List<String> all = new java.util.ArrayList<>(first);
        all.add(last);
        return all;
    }
}
