package com.monkeycoder.daemon.config;

/** A setting that cannot work, with a message that says how to fix it. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
