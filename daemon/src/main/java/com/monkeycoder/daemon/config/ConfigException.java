package com.monkeycoder.daemon.config;

/**
 * A setting that cannot work, with a message that says how to fix it. The message never carries a password: URL
 * user-info and password parameters are redacted ({@link com.monkeycoder.shared.Redaction}).
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(com.monkeycoder.shared.Redaction.secrets(message));
    }
}
