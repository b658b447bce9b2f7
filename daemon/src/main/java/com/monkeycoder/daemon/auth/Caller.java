package com.monkeycoder.daemon.auth;

/** Who sent a request, as the ledger records it: never the key itself, only its id. */
public record Caller(String userId, String keyId) {
}
