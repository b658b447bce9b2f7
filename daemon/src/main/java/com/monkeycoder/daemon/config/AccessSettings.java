package com.monkeycoder.daemon.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may see what: the token {@code GET /metrics} needs, and the accounts the operator makes admins.
 *
 * @param metricsToken {@code metrics_token} / {@code MONKEY_CODER_METRICS_TOKEN}; null when unset. Without one,
 *                     {@code /metrics} answers only on a gateway bound to loopback
 * @param adminEmails  {@code admin_emails} / {@code MONKEY_CODER_ADMIN_EMAILS}, lower-cased: accounts whose
 *                     register/login keys carry the {@code admin} scope, and keep it only while listed here
 */
public record AccessSettings(String metricsToken, Set<String> adminEmails, Set<String> corsOrigins) {

    public static final AccessSettings NONE = new AccessSettings(null, Set.of(), Set.of());

    public AccessSettings {
        metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken.strip();
        adminEmails = adminEmails == null ? Set.of() : Set.copyOf(adminEmails);
        corsOrigins = corsOrigins == null ? Set.of() : Set.copyOf(corsOrigins);
    }

    public AccessSettings(String metricsToken, Set<String> adminEmails) {
        this(metricsToken, adminEmails, Set.of());
    }

    /**
     * {@code cors_origins}: exact origins ({@code scheme://host[:port]}, no path), compared as browsers send them.
     * A wildcard is refused: a page on any site could then spend a key the user pasted into it.
     */
    public static Set<String> parseOrigins(String list) throws ConfigException {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        Set<String> origins = new java.util.LinkedHashSet<>();
        for (String raw : list.split("[,\\s]+")) {
            String origin = raw.strip();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new ConfigException("cors_origins: '" + origin + "' is not an origin such as https://app.example.com"
                        + " (scheme, host and port only; no wildcard, no path)");
            }
            origins.add(origin.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(origins);
    }

    /** A comma- (or space-) separated list of emails, as the setting holds it. */
    public static Set<String> parseEmails(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(list.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public boolean isAdmin(String email) {
        return email != null && adminEmails.contains(email.strip().toLowerCase(Locale.ROOT));
    }
}
