package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;

/**
 * One key of {@code config.json}: the environment variable that overrides it, its default, and who reads it (the
 * gateway when it starts, or the CLI on every command).
 *
 * @param defaultValue null when unset by default
 */
public record Setting(String key, String env, Kind kind, String defaultValue, Reader reader, String description) {

    /** Who reads the key. */
    public enum Reader {
        GATEWAY, CLI;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The kind of value, which says how {@code config set} checks and stores it. */
    public enum Kind {
        PORT(0, 65535), POSITIVE(1, Integer.MAX_VALUE), NON_NEGATIVE(0, Integer.MAX_VALUE), BASE_URL, NAME;

        final int min;
        final int max;

        Kind() {
            this(0, 0);
        }

        Kind(int min, int max) {
            this.min = min;
            this.max = max;
        }

        boolean numeric() {
            return max > 0;
        }
    }

    /** The JSON value {@code raw} is stored as; a usage error that says what is expected when it does not fit. */
    public JsonNode parse(String raw) {
        String value = raw.strip();
        if (kind.numeric()) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new ExitException(ExitCodes.USAGE, key + " must be a whole number, not '" + raw + "'");
            }
            if (n < kind.min || n > kind.max) {
                throw new ExitException(ExitCodes.USAGE, key + " must be " + (kind.max == Integer.MAX_VALUE
                        ? "at least " + kind.min : "from " + kind.min + " to " + kind.max) + ", not " + n);
            }
            return IntNode.valueOf(n);
        }
        if (value.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, key + " must not be empty: use 'monkey config unset " + key + "'");
        }
        if (kind == Kind.BASE_URL && !value.equals("local") && !value.startsWith("http://") && !value.startsWith("https://")) {
            throw new ExitException(ExitCodes.USAGE, key + " must be 'local' or an http(s) URL, not '" + raw + "'");
        }
        return TextNode.valueOf(value);
    }
}
