package com.monkeycoder.cli.doctor;

import com.monkeycoder.cli.output.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.auth.KeyStores;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.PlainHttp;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.config.Settings;
import com.monkeycoder.cli.daemon.DaemonControl;
import com.monkeycoder.cli.terminal.Style;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.MonkeyPaths;
import com.monkeycoder.shared.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code monkey doctor}: checks what Monkey Coder needs, from Java to each provider, and says how to fix what
 * fails. Exit 0 when nothing fails, 3 otherwise. Keys are never printed, only the names of the variables that hold
 * them.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check Java, the folders, config.json, the daemon or gateway, the API key and each provider, "
                + "and say how to fix what fails.",
                "Each configured provider's key is tried with its model list (no tokens spent), which tells a refused "
                        + "key from an unreachable base URL and a provider too slow to answer (--timeout); on a shared "
                        + "gateway only its operator's admin key may ask that.",
                "Exit code 0 when every check passes (warnings allowed), 3 when one fails."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey doctor", "  monkey doctor --json | jq '.checks[] | select(.status == \"fail\")'",
                "  monkey doctor --no-start     (do not start the local daemon to check it)"})
public final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print {ok, checks: [{name, status, detail, fix}]}.")
    boolean json;

    @Option(names = "--no-start", description = "Do not start the local daemon when it is not running.")
    boolean noStart;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long each provider may take to answer the key check (1-30, default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--base-url", paramLabel = "URL", description = "Check this gateway instead (like --base-url elsewhere).")
    String baseUrl;

    @Option(names = "--insecure", description = "Allow a plain http:// gateway URL on another machine (like --insecure "
            + "elsewhere; also MONKEY_CODER_INSECURE=1).")
    boolean insecure;

    private final CliContext context;

    public DoctorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (timeoutSeconds < 1 || timeoutSeconds > 30) {
            throw new ExitException(ExitCodes.USAGE, "--timeout must be from 1 to 30 seconds");
        }
        List<Check> checks = new ArrayList<>();
        MonkeyPaths paths = context.paths();
        checks.add(Checks.java(Runtime.version(), System.getProperty("java.home")));
        checks.add(Checks.folder("config folder", paths.configDir()));
        checks.add(Checks.folder("data folder", paths.dataDir()));
        checks.add(Checks.folder("state folder", paths.stateDir()));
        Settings settings = new Settings(context);
        checks.add(Checks.configFile(settings));
        String url;
        try {
            url = settings.resolve(Settings.BASE_URL, baseUrl, "--base-url").value();
        } catch (ExitException unreadableConfig) {
            url = baseUrl != null ? baseUrl : Optional.ofNullable(context.env("MONKEY_CODER_BASE_URL")).orElse(Connections.LOCAL);
        }
        boolean local = url.equals(Connections.LOCAL);
        Optional<GatewayClient> client = local ? daemon(checks) : gateway(url, checks);
        client.ifPresent(c -> providers(c, local, checks));

        boolean ok = checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report(ok, checks).toPrettyString());
        } else {
            print(out, checks, context.outStyle());
            long failures = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
            out.println();
            out.println(ok ? "All checks passed." : failures + (failures == 1 ? " check failed" : " checks failed")
                    + ": see the fixes above.");
        }
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.CONFIG_OR_AUTH;
    }

    /** The local daemon: running (or started now), healthy, and the key the CLI will send it. */
    private Optional<GatewayClient> daemon(List<Check> checks) {
        DaemonControl control = new DaemonControl(context);
        Optional<DaemonControl.RunningDaemon> running;
        try {
            running = control.running();
            if (running.isEmpty() && !noStart) {
                DaemonControl.RunningDaemon started = control.start(null);
                checks.add(Check.ok("daemon", "was not running; started it on http://127.0.0.1:" + started.port()
                        + " (pid " + started.pid() + ")"));
                running = Optional.of(started);
            } else if (running.isPresent()) {
                DaemonControl.RunningDaemon r = running.get();
                String detail = "running on http://127.0.0.1:" + r.port() + " (pid " + r.pid() + ", version " + r.version() + ")";
                checks.add(r.version().equals(Version.current()) ? Check.ok("daemon", detail)
                        : Check.warn("daemon", detail + ", but this CLI is version " + Version.current(),
                        "restart it to run the installed version: monkey daemon stop"));
            } else {
                checks.add(Check.warn("daemon", "not running (it starts on first use)", "monkey daemon start"));
                return Optional.empty();
            }
        } catch (ExitException e) {
            checks.add(Check.fail("daemon", e.getMessage(), "read the log (" + control.paths().logFile()
                    + "), then try: monkey daemon run (it runs in the foreground and shows why it stops)"));
            return Optional.empty();
        }
        if (context.env("MONKEY_CODER_API_KEY") != null) {
            checks.add(Check.ok("api key", "from MONKEY_CODER_API_KEY"));
        } else if (context.env("MONKEY_CODER_LOCAL_KEY") != null) {
            checks.add(Check.ok("api key", "from MONKEY_CODER_LOCAL_KEY"));
        } else {
            Check key = Checks.localKeyFile(control.paths().localKeyFile());
            checks.add(key);
            if (key.status() == Check.Status.FAIL) {
                return Optional.empty();
            }
        }
        Connection connection = Connections.resolve(context, Connections.LOCAL, false, new PrintWriter(Writer.nullWriter()));
        return Optional.of(new GatewayClient(connection));
    }

    /** A shared gateway: its health, and whether there is a key to send it. */
    private Optional<GatewayClient> gateway(String url, List<Check> checks) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            checks.add(Check.fail("gateway", "base URL '" + url + "' is neither 'local' nor an http(s) URL",
                    "monkey config set base_url local (or the https URL of your gateway)"));
            return Optional.empty();
        }
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        boolean plainHttpAllowed = PlainHttp.allowed(context, insecure);
        try {
            PlainHttp.check(trimmed, plainHttpAllowed);
        } catch (ExitException refused) {
            checks.add(Check.fail("gateway", refused.getMessage(), "monkey config set base_url https://... (the https URL "
                    + "of your gateway), or run with --insecure if you accept the risk"));
            return Optional.empty();
        }
        // The key every other command would send: the environment's, else the one 'monkey auth login' saved.
        Optional<KeyStores.Found> key = new KeyStores(context, new PrintWriter(Writer.nullWriter())).find(trimmed);
        GatewayClient client = new GatewayClient(new Connection(trimmed,
                key.map(k -> k.credentials().apiKey()).orElse(null), false, plainHttpAllowed));
        try {
            JsonNode health = client.get("/health");
            checks.add(Check.ok("gateway", trimmed + " answers (" + health.path("mode").asText("?") + " mode, version "
                    + health.path("version").asText("?") + ")"));
        } catch (ExitException e) {
            checks.add(Check.fail("gateway", e.getMessage(), "check the URL (monkey config get base_url) and your network"));
            return Optional.empty();
        }
        if (key.isEmpty()) {
            checks.add(Check.fail("api key", "no key for " + trimmed + ": none saved, and MONKEY_CODER_API_KEY is not set",
                    "monkey auth login --base-url " + trimmed + " (or export MONKEY_CODER_API_KEY=mk-..., the key "
                            + "your gateway gave you)"));
            return Optional.empty();
        }
        checks.add(Check.ok("api key", "from " + key.get().source()));
        return Optional.of(client);
    }

    private void providers(GatewayClient client, boolean local, List<Check> checks) {
        JsonNode providers;
        try {
            providers = client.get("/v1/providers");
        } catch (ExitException e) {
            checks.add(e.exitCode() == ExitCodes.CONFIG_OR_AUTH
                    ? Check.fail("authentication", "the gateway refused the key: " + e.getMessage(),
                    local ? "restart the daemon (monkey daemon stop) or unset a stale MONKEY_CODER_API_KEY"
                            : "a revoked or expired key: monkey auth login (or check MONKEY_CODER_API_KEY)")
                    : Check.fail("authentication", e.getMessage(), "see monkey daemon status, or the gateway's log"));
            return;
        }
        checks.add(Check.ok("authentication", "the gateway accepts the key"));
        checks.addAll(Checks.providers(providers, keyChecks(client), context.env(), local));
    }

    /**
     * Each configured provider's key tried by the gateway (its model list, no tokens spent), by name; empty when the
     * gateway does not let this key ask (a shared gateway's users: only its operator may) or cannot.
     */
    private Map<String, JsonNode> keyChecks(GatewayClient client) {
        Map<String, JsonNode> byName = new HashMap<>();
        try {
            JsonNode answer = client.get("/v1/providers/check?timeout_seconds=" + timeoutSeconds);
            for (JsonNode p : answer.path("providers")) {
                ObjectNode one = p.deepCopy();
                one.put("timeout_seconds", answer.path("timeout_seconds").asLong(timeoutSeconds));
                byName.put(p.path("name").asText(), one);
            }
        } catch (ExitException notAllowedOrOlder) {
            // the providers' configuration and last errors are then all doctor can say
        }
        return byName;
    }

    private static void print(PrintWriter out, List<Check> checks, Style style) {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Check c : checks) {
            String status = String.format("%-4s", c.status().label());
            String painted = switch (c.status()) {
                case OK -> style.green(status);
                case WARN -> style.yellow(status);
                case FAIL -> style.red(style.bold(status));
                case INFO -> style.dim(status);
            };
            out.println(painted + "  " + String.format("%-" + width + "s", c.name()) + "  " + SafeText.of(c.detail()));
            // An unconfigured provider is not a problem: its detail names the variable, and the line stays one line.
            if (c.fix() != null && (c.status() == Check.Status.WARN || c.status() == Check.Status.FAIL)) {
                out.println(" ".repeat(6 + width + 2) + "fix: " + SafeText.of(c.fix()));
            }
        }
    }

    private static ObjectNode report(boolean ok, List<Check> checks) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("ok", ok);
        ArrayNode list = doc.putArray("checks");
        for (Check c : checks) {
            ObjectNode node = list.addObject();
            node.put("name", c.name());
            node.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
            node.put("detail", c.detail());
            if (c.fix() == null) {
                node.putNull("fix");
            } else {
                node.put("fix", c.fix());
            }
        }
        return doc;
    }
}
