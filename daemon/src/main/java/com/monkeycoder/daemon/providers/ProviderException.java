package com.monkeycoder.daemon.providers;

import java.time.Duration;

/**
 * A provider call that failed. The message is written for the gateway's users: it never contains the
 * provider key or the raw upstream body beyond the provider's own error message.
 */
public final class ProviderException extends Exception {

    /** How the call failed; decides the gateway's status code and whether another try could help. */
    public enum Kind {
        /** The provider refused the operator's key (401/403). */
        AUTH_REFUSED,
        /** The provider answered 429. */
        RATE_LIMITED,
        /** The provider answered another HTTP error. */
        UPSTREAM_ERROR,
        /** Connect, first byte or idle timeout. */
        TIMEOUT,
        /** Connection refused, reset or dropped. */
        NETWORK,
        /** The provider answered something that does not follow its own wire format. */
        BAD_RESPONSE,
        /**
         * The provider's safety or policy filter blocked the prompt or the whole answer (Gemini's {@code SAFETY},
         * {@code PROHIBITED_CONTENT}, ...). Trying the same provider again will not help; another provider may answer.
         */
        CONTENT_BLOCKED
    }

    private final Kind kind;
    private final String provider;
    private final Integer upstreamStatus;
    private final Duration retryAfter;

    public ProviderException(Kind kind, String provider, String message, Integer upstreamStatus, Duration retryAfter,
                             Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.provider = provider;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
    }

    public ProviderException(Kind kind, String provider, String message) {
        this(kind, provider, message, null, null, null);
    }

    private com.monkeycoder.daemon.conversation.TokenCount usage;

    /** This failure, carrying the usage the provider reported with it (a malformed answer still billed). */
    public ProviderException reported(com.monkeycoder.daemon.conversation.TokenCount reported) {
        this.usage = reported;
        return this;
    }

    /** The usage the provider reported with a failed answer, or null. */
    public com.monkeycoder.daemon.conversation.TokenCount usage() {
        return usage;
    }

    /**
     * Whether the request may have reached the provider: false only for a timeout while connecting (a read
     * timeout means it was sent, and the provider may be writing, and billing, the answer).
     */
    public boolean requestSent() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return false;
            }
            String m = t.getMessage();
            if (t instanceof java.net.SocketTimeoutException && m != null
                    && m.toLowerCase(java.util.Locale.ROOT).contains("connect")) {
                return false;
            }
        }
        return true;
    }

    public Kind kind() {
        return kind;
    }

    public String provider() {
        return provider;
    }

    /** The provider's HTTP status, when it answered with one. */
    public Integer upstreamStatus() {
        return upstreamStatus;
    }

    /** The provider's {@code Retry-After}, when it sent one. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
