package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /v1/billing/usage?days=N} or {@code ?from=ISO&to=ISO}: the ledger aggregated by day, model, provider
 * and key; on a shared gateway, the caller's own requests only.
 */
final class UsageRoute implements ApiHandler {

    private final Ledger ledger;
    private final Clock clock;
    private final boolean scoped;

    UsageRoute(Ledger ledger, Clock clock, boolean scoped) {
        this.ledger = ledger;
        this.clock = clock;
        this.scoped = scoped;
    }

    @Override
    public void handle(HttpCall call) throws LedgerException {
        Instant to = instant(call, "to", clock.instant().plusMillis(1));
        Instant from;
        if (call.query("from") != null) {
            from = instant(call, "from", null);
        } else {
            int days = days(call.query("days"));
            from = to.minus(Duration.ofDays(days));
        }
        if (!from.isBefore(to)) {
            throw ApiError.validation("from", "must be before 'to'");
        }
        call.sendJson(200, ledger.usage(from, to, scoped ? call.caller().userId() : null));
    }

    private static Instant instant(HttpCall call, String name, Instant fallback) {
        String value = call.query(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.validation(name, "must be an ISO-8601 instant such as 2026-01-15T00:00:00Z");
        }
    }

    private static int days(String value) {
        if (value == null) {
            return 30;
        }
        try {
            int days = Integer.parseInt(value);
            if (days >= 1 && days <= 3660) {
                return days;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.validation("days", "must be a whole number from 1 to 3660");
    }
}
