package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.write.AtomicFiles;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.config.ConfigKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    /** Every key of the shared table ({@link ConfigKey}), gateway keys first, in the order {@code config list} shows them. */
    public static final List<Setting> ALL = Arrays.stream(ConfigKey.values()).map(Setting::new).toList();

    public static final Setting PORT = of(ConfigKey.PORT);
    public static final Setting BASE_URL = of(ConfigKey.BASE_URL);
    public static final Setting DEFAULT_MODEL = of(ConfigKey.DEFAULT_MODEL);
    public static final Setting DEFAULT_PROVIDER = of(ConfigKey.DEFAULT_PROVIDER);
    public static final Setting DEFAULT_PERSONA = of(ConfigKey.DEFAULT_PERSONA);
    public static final Setting TOOL_MAX_CALLS = of(ConfigKey.TOOL_MAX_CALLS);
    public static final Setting TOOL_MAX_READ_KB = of(ConfigKey.TOOL_MAX_READ_KB);

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

    /** The instance in {@link #ALL} (so {@code ==} holds between them). */
    private static Setting of(ConfigKey key) {
        return ALL.get(key.ordinal());
    }
}
