package com.monkeycoder.daemon.audit;

/**
 * Where a request came from, as the audit log records it: the client's address (as the trusted proxies report it)
 * and its User-Agent, each cut to a length a log row can hold. {@link #SYSTEM} for what the gateway does by itself.
 */
public record Origin(String address, String userAgent) {

    public static final Origin SYSTEM = new Origin(null, null);

    public Origin {
        address = cut(address, 64);
        userAgent = cut(userAgent, 200);
    }

    private static String cut(String s, int max) {
        if (s == null || s.isBlank()) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max);
    }
}
