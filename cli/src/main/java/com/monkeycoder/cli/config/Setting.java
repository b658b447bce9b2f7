package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.shared.config.ConfigKey;

/**
 * One key of {@code config.json} as {@code monkey config} shows it. The key, its environment variable, default,
 * type and reader all come from the shared table ({@link ConfigKey}) that the gateway reads too.
 */
public record Setting(ConfigKey configKey) {

    public String key() {
        return configKey.key();
    }

    public String env() {
        return configKey.env();
    }

    /** The default as text; null when unset by default. */
    public String defaultValue() {
        return configKey.defaultValue();
    }

    /** Who reads the key: gateway, cli or both. */
    public ConfigKey.Scope reader() {
        return configKey.scope();
    }

    public String description() {
        return configKey.description();
    }

    /** Whether config.json stores it as a whole number. */
    public boolean numeric() {
        return configKey.type().numeric();
    }

    /** The JSON value {@code raw} is stored as; a usage error that says what is expected when it does not fit. */
    public JsonNode parse(String raw) {
        try {
            return configKey.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
