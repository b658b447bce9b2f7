package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.write.AtomicFiles;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The configuration as the README orders it: command-line flag, then environment, then {@code config.json}, then
 * the default; each value comes with where it came from, so {@code monkey config list} can say.
 */
public final class Settings {

    /** Where a value came from. */
    public enum Source {
        FLAG, ENV, CONFIG, DEFAULT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A value and its origin.
     *
     * @param value  the value as text; null when it is unset
     * @param origin the flag, env var or file it came from, for people
     */
    public record Resolved(Setting setting, String value, Source source, String origin) {
    }

    public static final Setting PORT = gateway("port", "MONKEY_CODER_PORT", Setting.Kind.PORT, "8420",
            "the local daemon's port on 127.0.0.1 (0: any free port)");
    public static final Setting BASE_URL = cli("base_url", "MONKEY_CODER_BASE_URL", Setting.Kind.BASE_URL, "local",
            "'local' (this machine's daemon) or the http(s) URL of a shared gateway");
    public static final Setting DEFAULT_MODEL = cli("default_model", "MONKEY_CODER_MODEL", Setting.Kind.NAME, null,
            "model for implement and chat when --model is not given (provider/model or a model name)");
    public static final Setting DEFAULT_PROVIDER = cli("default_provider", "MONKEY_CODER_PROVIDER", Setting.Kind.NAME,
            null, "provider for implement and chat when neither --provider nor --model is given");
    public static final Setting DEFAULT_PERSONA = cli("default_persona", "MONKEY_CODER_PERSONA", Setting.Kind.NAME,
            null, "persona for implement and chat when --persona is not given (the gateway's default: developer)");

    /** Every key, gateway keys first, in the order {@code config list} shows them. */
    public static final List<Setting> ALL = List.of(
            PORT,
            gateway("upstream_timeout_seconds", "MONKEY_CODER_UPSTREAM_TIMEOUT", Setting.Kind.POSITIVE, "120",
                    "seconds to wait for a provider's first byte, and between stream chunks"),
            gateway("upstream_connect_timeout_seconds", "MONKEY_CODER_UPSTREAM_CONNECT_TIMEOUT", Setting.Kind.POSITIVE, "10",
                    "seconds to connect to a provider"),
            gateway("drain_timeout_seconds", "MONKEY_CODER_DRAIN_TIMEOUT", Setting.Kind.NON_NEGATIVE, "30",
                    "seconds 'daemon stop' lets requests in flight finish"),
            gateway("max_attempts", "MONKEY_CODER_MAX_ATTEMPTS", Setting.Kind.POSITIVE, "3",
                    "calls per request, across retries and failover"),
            gateway("max_retry_seconds", "MONKEY_CODER_MAX_RETRY_SECONDS", Setting.Kind.NON_NEGATIVE, "60",
                    "longest Retry-After the gateway waits before retrying"),
            gateway("backoff_ms", "MONKEY_CODER_BACKOFF_MS", Setting.Kind.NON_NEGATIVE, "250",
                    "first pause between retries, doubled each time"),
            gateway("breaker_failures", "MONKEY_CODER_BREAKER_FAILURES", Setting.Kind.POSITIVE, "5",
                    "failures in a row that open a provider's circuit breaker"),
            gateway("breaker_cooldown_seconds", "MONKEY_CODER_BREAKER_COOLDOWN", Setting.Kind.POSITIVE, "30",
                    "seconds an open circuit breaker waits before trying the provider again"),
            gateway("demo_delay_ms", "MONKEY_CODER_DEMO_DELAY_MS", Setting.Kind.NON_NEGATIVE, "12",
                    "pause between the demo provider's streamed chunks"),
            BASE_URL, DEFAULT_MODEL, DEFAULT_PROVIDER, DEFAULT_PERSONA);

    private final CliContext context;
    private ObjectNode file;

    public Settings(CliContext context) {
        this.context = context;
    }

    public static Optional<Setting> find(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /** The setting named {@code key}, or a usage error listing the keys there are. */
    public static Setting require(String key) {
        return find(key).orElseThrow(() -> new ExitException(ExitCodes.USAGE, "no setting '" + key + "': the keys are "
                + String.join(", ", ALL.stream().map(Setting::key).toList())));
    }

    public Path file() {
        return context.paths().configFile();
    }

    /** The value of {@code setting} when no flag is given for it. */
    public Resolved resolve(Setting setting) {
        return resolve(setting, null, null);
    }

    /**
     * @param flagValue the value of the command-line flag, or null when it was not given
     * @param flagName  the flag, for {@code origin}
     */
    public Resolved resolve(Setting setting, String flagValue, String flagName) {
        if (flagValue != null) {
            return new Resolved(setting, flagValue, Source.FLAG, flagName);
        }
        String env = context.env(setting.env());
        if (env != null) {
            return new Resolved(setting, env, Source.ENV, setting.env());
        }
        JsonNode inFile = read().get(setting.key());
        if (inFile != null && !inFile.isNull()) {
            return new Resolved(setting, inFile.isTextual() ? inFile.asText() : inFile.toString(), Source.CONFIG,
                    file().toString());
        }
        return new Resolved(setting, setting.defaultValue(), Source.DEFAULT, null);
    }

    /** The text of {@code config.json}'s value of {@code setting}, if the file sets one. */
    public Optional<JsonNode> inFile(Setting setting) {
        return Optional.ofNullable(read().get(setting.key()));
    }

    /** Sets (or, with a null value, removes) a key in {@code config.json}, keeping every other key as it was. */
    public void store(Setting setting, JsonNode value) {
        ObjectNode updated = read().deepCopy();
        if (value == null) {
            updated.remove(setting.key());
        } else {
            updated.set(setting.key(), value);
        }
        try {
            String json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(updated) + "\n";
            AtomicFiles.write(file(), json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "cannot write " + file() + ": " + e.getMessage(), e);
        }
        file = updated;
    }

    /** {@code config.json} as it is on disk; empty when there is none; exit 3 when it cannot be read. */
    private ObjectNode read() {
        if (file != null) {
            return file;
        }
        Path path = file();
        if (!Files.isRegularFile(path)) {
            file = Json.mapper().createObjectNode();
            return file;
        }
        try {
            JsonNode node = Json.mapper().readTree(path.toFile());
            if (node == null || node.isMissingNode()) {
                file = Json.mapper().createObjectNode();
            } else if (node instanceof ObjectNode object) {
                file = object;
            } else {
                throw new ExitException(ExitCodes.CONFIG_OR_AUTH, path + " must hold a JSON object ({\"key\": value, ...})");
            }
            return file;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "cannot read " + path + ": it is not valid JSON ("
                    + e.getOriginalMessage() + "); fix it or remove it");
        } catch (IOException e) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "cannot read " + path + ": " + e.getMessage());
        }
    }

    private static Setting gateway(String key, String env, Setting.Kind kind, String def, String description) {
        return new Setting(key, env, kind, def, Setting.Reader.GATEWAY, description);
    }

    private static Setting cli(String key, String env, Setting.Kind kind, String def, String description) {
        return new Setting(key, env, kind, def, Setting.Reader.CLI, description);
    }
}
