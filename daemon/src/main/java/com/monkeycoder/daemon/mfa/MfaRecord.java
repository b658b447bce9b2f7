package com.monkeycoder.daemon.mfa;

/**
 * An account's second factor as stored: its sealed TOTP secret, when it was enabled (null while the enrolment
 * waits for its first code) and the newest time step whose code was accepted (null before any).
 */
public record MfaRecord(String accountId, String secretSealed, long createdMs, Long enabledMs, Long lastStep) {

    public boolean enabled() {
        return enabledMs != null;
    }
}
