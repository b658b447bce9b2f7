package com.monkeycoder.cli.client;

/**
 * Where the CLI sends its requests and with which key; {@code local} when it is this machine's daemon;
 * {@code plainHttpAllowed} when the user allowed plain http to another machine ({@code --insecure}).
 */
public record Connection(String baseUrl, String apiKey, boolean local, boolean plainHttpAllowed) {

    public Connection(String baseUrl, String apiKey, boolean local) {
        this(baseUrl, apiKey, local, false);
    }

    @Override
    public String toString() {
        // Never print the key.
        return "Connection[" + baseUrl + (local ? ", local" : "") + "]";
    }
}
