package com.monkeycoder.cli.client;

/** Where the CLI sends its requests and with which key; {@code local} when it is this machine's daemon. */
public record Connection(String baseUrl, String apiKey, boolean local) {

    @Override
    public String toString() {
        // Never print the key.
        return "Connection[" + baseUrl + (local ? ", local" : "") + "]";
    }
}
