package com.monkeycoder.cli;

import com.monkeycoder.daemon.testing.TestGateway;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * One run of the real {@code monkey} command line, as {@code Main} would run it but with an injected environment
 * and captured output: its exit code and what it wrote to stdout and stderr.
 */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code monkey args...} with exactly {@code env} as its environment (not a terminal). */
    public static CliRun run(Map<String, String> env, String... args) {
        return run(new CliContext(env, false), args);
    }

    /** Runs {@code monkey args...} in the given context: its terminals, stdin and environment. */
    public static CliRun run(CliContext context, String... args) {
        CommandLine cl = Monkey.commandLineFor(context, args); // as Main builds it: only the command named
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * The environment of a CLI that talks to {@code gateway} as a remote gateway (base URL + API key), so it never
     * looks for or spawns a local daemon; the gateway's own variables (home, provider keys) come along as they
     * would on a machine where both run.
     */
    public static Map<String, String> remoteEnv(TestGateway gateway) {
        return with(gateway.env(), "MONKEY_CODER_BASE_URL", gateway.baseUrl(), "MONKEY_CODER_API_KEY", TestGateway.KEY);
    }

    /** A copy of {@code env} with the given name/value pairs set; a null value removes the name. */
    public static Map<String, String> with(Map<String, String> env, String... namesAndValues) {
        Map<String, String> copy = new HashMap<>(env);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) {
                copy.remove(namesAndValues[i]);
            } else {
                copy.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return copy;
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    public List<String> errLines() {
        return err.lines().toList();
    }

    /** The cells of the stdout table row whose first cell is {@code key}; columns are two or more spaces apart. */
    public List<String> tableRow(String key) {
        return outLines().stream().map(line -> List.of(line.strip().split("\\s{2,}")))
                .filter(cells -> cells.getFirst().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + key + "' in:\n" + out));
    }

    /** Everything the run printed, for checks that no secret appears anywhere. */
    public String allOutput() {
        return out + err;
    }
}
