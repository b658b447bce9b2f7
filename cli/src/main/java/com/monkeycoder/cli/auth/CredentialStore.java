package com.monkeycoder.cli.auth;

import java.util.Optional;

/** Somewhere the CLI keeps gateway keys, one per gateway base URL. */
public interface CredentialStore {

    /** Where it is, for {@code monkey auth status} and notices. */
    String describe();

    Optional<Credentials> read(String baseUrl);

    void write(String baseUrl, Credentials credentials);

    /** Removes the gateway's key; false when there was none. */
    boolean delete(String baseUrl);
}
