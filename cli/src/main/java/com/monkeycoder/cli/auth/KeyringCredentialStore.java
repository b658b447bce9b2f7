package com.monkeycoder.cli.auth;

import com.github.javakeyring.Keyring;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keys in the OS keyring through java-keyring (macOS Keychain, Windows Credential Manager, the Secret Service on
 * Linux), service {@code monkey-coder}, one entry per gateway URL. A keyring can throw or hang (a locked or absent
 * Secret Service), so every call runs on its own daemon thread with a short timeout; a call that fails or times
 * out raises {@link Unavailable} and the CLI falls back to its file.
 */
public final class KeyringCredentialStore implements CredentialStore {

    public static final String SERVICE = "monkey-coder";

    /** The keyring did not answer, or not in time. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final Keyring keyring;
    private final Duration timeout;

    private KeyringCredentialStore(Keyring keyring, Duration timeout) {
        this.keyring = keyring;
        this.timeout = timeout;
    }

    /** Opens the OS keyring, or throws {@link Unavailable} saying why not. */
    public static KeyringCredentialStore open(Duration timeout) {
        return new KeyringCredentialStore(call(Keyring::create, timeout), timeout);
    }

    @Override
    public String describe() {
        return "the OS keyring (service " + SERVICE + ")";
    }

    @Override
    public Optional<Credentials> read(String baseUrl) {
        String value = call(() -> {
            try {
                return keyring.getPassword(SERVICE, baseUrl);
            } catch (com.github.javakeyring.PasswordAccessException notThere) {
                return null;
            }
        }, timeout);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(value, Credentials.class));
        } catch (IOException notOurs) {
            return Optional.empty();
        }
    }

    @Override
    public void write(String baseUrl, Credentials credentials) {
        String value = Json.write(credentials);
        call(() -> {
            keyring.setPassword(SERVICE, baseUrl, value);
            return null;
        }, timeout);
    }

    @Override
    public boolean delete(String baseUrl) {
        if (read(baseUrl).isEmpty()) {
            return false;
        }
        call(() -> {
            keyring.deletePassword(SERVICE, baseUrl);
            return null;
        }, timeout);
        return true;
    }

    private static <T> T call(Callable<T> action, Duration timeout) {
        FutureTask<T> task = new FutureTask<>(action);
        Thread thread = new Thread(task, "keyring");
        thread.setDaemon(true); // a hung keyring call must not keep the CLI from exiting
        thread.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new Unavailable("the OS keyring did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new Unavailable("the OS keyring failed (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for the OS keyring", e);
        } catch (LinkageError e) {
            throw new Unavailable("the OS keyring library cannot load here (" + e.getMessage() + ")", e);
        }
    }
}
