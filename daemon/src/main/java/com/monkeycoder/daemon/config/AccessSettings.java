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
public record AccessSettings(String metricsToken, Set<String> adminEmails) {

    public static final AccessSettings NONE = new AccessSettings(null, Set.of());

    public AccessSettings {
        metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken.strip();
        adminEmails = adminEmails == null ? Set.of() : Set.copyOf(adminEmails);
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
