package com.monkeycoder.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.config.Setting;
import com.monkeycoder.cli.config.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks of {@code monkey doctor} that need no gateway, as functions of what they look at. */
final class Checks {

    static final int MIN_JAVA = 21;

    private Checks() {
    }

    static Check java(Runtime.Version version, String javaHome) {
        String detail = "Java " + version + " at " + javaHome;
        if (version.feature() < MIN_JAVA) {
            return Check.fail("java", detail + ": Monkey Coder needs " + MIN_JAVA + " or newer",
                    "install a JDK " + MIN_JAVA + "+ (e.g. Temurin) and point MONKEY_CODER_JAVA or JAVA_HOME at it");
        }
        return Check.ok("java", detail);
    }

    /** A folder Monkey Coder writes to: it exists and is writable, or can be created. */
    static Check folder(String name, Path folder) {
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(folder)) {
            return Check.fail(name, folder + " exists but is not a folder",
                    "move " + folder + " out of the way, or set MONKEY_CODER_HOME to another folder");
        }
        if (Files.isDirectory(folder)) {
            return Files.isWritable(folder) ? Check.ok(name, folder + " (writable)")
                    : Check.fail(name, folder + " is not writable", "chmod u+w " + folder);
        }
        Path parent = folder.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            return Check.fail(name, folder + " cannot be created: " + parent + " is not a folder",
                    "set MONKEY_CODER_HOME to a folder you can write");
        }
        return Files.isWritable(parent) ? Check.ok(name, folder + " (created on first use)")
                : Check.fail(name, folder + " cannot be created: " + parent + " is not writable",
                "create it yourself (mkdir -p " + folder + ") or set MONKEY_CODER_HOME to a folder you can write");
    }

    /** config.json: readable JSON whose keys hold values of the right kind. */
    static Check configFile(Settings settings) {
        Path file = settings.file();
        if (!Files.exists(file)) {
            return Check.ok("config file", file + " (none: defaults apply)");
        }
        List<String> bad = new ArrayList<>();
        try {
            for (Setting s : Settings.ALL) {
                var value = settings.inFile(s);
                if (value.isPresent() && !value.get().isNull()) {
                    try {
                        s.parse(value.get().isTextual() ? value.get().asText() : value.get().toString());
                    } catch (ExitException e) {
                        bad.add(e.getMessage());
                    }
                }
            }
        } catch (ExitException unreadable) {
            return Check.fail("config file", unreadable.getMessage(), "fix the JSON, or move the file away and use "
                    + "monkey config set to start again");
        }
        if (!bad.isEmpty()) {
            return Check.fail("config file", file + ": " + String.join("; ", bad), "monkey config set KEY VALUE "
                    + "(or monkey config unset KEY)");
        }
        return Check.ok("config file", file.toString());
    }

    /** The local key file: present, and readable by its owner only. */
    static Check localKeyFile(Path keyFile) {
        if (!Files.isRegularFile(keyFile)) {
            return Check.fail("api key", "no local key at " + keyFile,
                    "restart the daemon so it writes one (monkey daemon stop), or set MONKEY_CODER_API_KEY");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                return Check.fail("api key", keyFile + " can be read by other users", "chmod 600 " + keyFile);
            }
        } catch (UnsupportedOperationException | IOException noPosix) {
            // not a POSIX file system: nothing to check
        }
        return Check.ok("api key", "the local daemon's key, " + keyFile + " (mode 0600)");
    }

    /**
     * One line per provider of {@code GET /v1/providers}, and a failure when none but the offline demo can answer.
     *
     * @param keyChecks what {@code GET /v1/providers/check} found of each configured provider, by name; empty when
     *                  the gateway would not check (a shared gateway's non-admin users)
     * @param cliEnv    the CLI's environment; with a local daemon, a key set here that the daemon does not see
     *                  means it was started before the key was exported
     */
    static List<Check> providers(JsonNode providers, Map<String, JsonNode> keyChecks, Map<String, String> cliEnv,
                                 boolean local) {
        List<Check> checks = new ArrayList<>();
        int usable = 0;
        List<String> enablers = new ArrayList<>();
        for (JsonNode p : providers.path("providers")) {
            String name = p.path("name").asText();
            if (name.equals("demo")) {
                continue;
            }
            List<String> keyEnv = new ArrayList<>();
            p.path("key_env").forEach(e -> keyEnv.add(e.asText()));
            String enable = keyEnv.isEmpty() ? "OLLAMA_HOST" : keyEnv.getFirst();
            enablers.add(enable);
            String label = "provider " + name;
            if (p.path("configured").asBoolean()) {
                usable++;
                String how = keyEnv.isEmpty() ? "a local server" : "key in " + String.join(" or ", keyEnv);
                String lastError = p.path("last_error").asText("");
                JsonNode tried = keyChecks.get(name);
                if (tried != null) {
                    checks.add(keyCheck(label, how, tried, local));
                } else if (!lastError.isEmpty()) {
                    checks.add(Check.warn(label, "configured (" + how + "), but its last call failed: " + lastError,
                            local ? "monkey providers shows it again; monkey daemon logs shows the failed requests"
                                    : "the gateway's operator can tell why; monkey providers shows it again"));
                } else if ("open".equals(p.path("circuit").asText())) {
                    checks.add(Check.warn(label, "configured (" + how + "), circuit breaker open after repeated failures",
                            "the gateway tries it again after the cool-down; see monkey providers"));
                } else {
                    checks.add(Check.ok(label, "configured (" + how + "), default model " + p.path("default_model").asText()));
                }
                continue;
            }
            String setHere = keyEnv.stream().filter(e -> isSet(cliEnv, e)).findFirst().orElse(null);
            if (local && setHere != null) {
                checks.add(Check.warn(label, setHere + " is set in this shell but the daemon does not see it "
                        + "(it was started before)", "restart the daemon: monkey daemon stop (the next command starts it)"));
            } else {
                checks.add(Check.info(label, "not configured (" + enable + ")", "set " + enable + (local
                        ? " and restart the daemon (monkey daemon stop)" : " where the gateway runs")));
            }
        }
        if (usable == 0) {
            checks.addFirst(Check.fail("providers", "no provider is configured: only the offline demo can answer",
                    "set one of " + String.join(", ", enablers) + (local ? ", then: monkey daemon stop" : " where the gateway runs")));
        } else {
            checks.addFirst(Check.ok("providers", usable + " configured"));
        }
        return checks;
    }

    /**
     * A configured provider as its key check found it. Each failure gets the fix that fits it: the key for a refused
     * one, the base URL or the network for one that cannot be reached, patience for one that did not answer in time;
     * on a shared gateway all three are the operator's to fix.
     */
    static Check keyCheck(String label, String how, JsonNode tried, boolean local) {
        String name = tried.path("name").asText();
        String message = tried.path("message").asText("");
        List<String> keyEnv = new ArrayList<>();
        tried.path("key_env").forEach(e -> keyEnv.add(e.asText()));
        String keyVar = keyEnv.isEmpty() ? "its key" : keyEnv.getFirst();
        String baseUrl = tried.path("base_url").asText("");
        String baseUrlVar = tried.path("base_url_env").asText("");
        String at = baseUrl.isEmpty() ? "" : " at " + baseUrl;
        String restart = "then restart the daemon: monkey daemon start --restart";
        String operator = "the gateway's operator must fix this (its " + name + " ";
        return switch (tried.path("result").asText()) {
            case "ok" -> Check.ok(label, "configured (" + how + "), the key works (" + tried.path("latency_ms").asLong()
                    + " ms to list its models)");
            case "unchecked" -> Check.ok(label, "configured (" + how + "), answers" + at + "; it has no model list to "
                    + "check the key on");
            case "key_refused" -> Check.fail(label, "configured (" + how + "), but " + message, local
                    ? "check " + keyVar + " (a typo, a revoked key, another provider's key): export the right one, " + restart
                    : operator + "key)");
            case "unreachable" -> Check.fail(label, "cannot reach " + name + at + ": "
                    + message.replaceFirst("^could not reach " + java.util.regex.Pattern.quote(name) + ": ", ""), local
                    ? "check " + (baseUrlVar.isEmpty() ? "" : baseUrlVar + " (unset it for the provider's own address), ")
                    + "your network and proxy; " + restart
                    : operator + "network or base URL)");
            case "timeout" -> Check.warn(label, name + at + " did not answer within "
                    + tried.path("timeout_seconds").asLong() + " s", local
                    ? "it may be slow or down: try again (monkey doctor --timeout 20)"
                    + (baseUrlVar.isEmpty() ? "" : ", or check " + baseUrlVar) + " and your network"
                    : "it may be slow or down: try again later, or tell the gateway's operator");
            default -> Check.warn(label, "configured (" + how + "), but checking its key failed: " + message,
                    "the provider may be having trouble: see its status page, and try again");
        };
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
