package com.monkeycoder.daemon.admin;

import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.accounts.AccountService;
import com.monkeycoder.daemon.accounts.PasswordHasher;
import com.monkeycoder.daemon.accounts.Role;
import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.limits.Tier;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a gateway gets its first administrator, with no admin to ask: {@code monkey daemon admin create --email E}
 * on the server (against the database directly), or {@code MONKEY_CODER_ADMIN_EMAIL} and
 * {@code MONKEY_CODER_ADMIN_PASSWORD} at a start while no admin exists. An existing account is made an admin; a
 * new one is created with the password given, as an admin. Either way the audit log records {@code admin_created}
 * with actor {@code system}. The admin then logs in for a key with the admin scope.
 */
public final class FirstAdmin {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@link #make} did. */
    public enum Outcome { CREATED, PROMOTED, ALREADY_ADMIN }

    /** What it did, and to which account. */
    public record Result(Outcome outcome, String accountId, String email) {
    }

    private final AccountChanges changes;
    private final PasswordHasher passwords;
    private final Clock clock;
    private final long starterCreditMicros;

    public FirstAdmin(AccountChanges changes, PasswordHasher passwords, Clock clock, long starterCreditMicros) {
        this.changes = changes;
        this.passwords = passwords;
        this.clock = clock;
        this.starterCreditMicros = starterCreditMicros;
    }

    /** Whether any account has the admin role. */
    public boolean anyAdmin() throws SQLException {
        return changes.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE role = ? LIMIT 1")) {
                ps.setString(1, Role.ADMIN.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * Makes {@code email}'s account an admin, creating it with {@code password} when there is none. The password is
     * asked for only then; it must be 8 to 1024 characters, as at registration.
     *
     * @throws com.monkeycoder.daemon.errors.ApiError a 422 naming the email or password when one is not valid
     */
    public Result make(String email, Supplier<String> password) throws SQLException {
        String normalized = AccountService.validEmail(email);
        Existing existing = find(normalized);
        if (existing != null && existing.role() == Role.ADMIN) {
            return new Result(Outcome.ALREADY_ADMIN, existing.id(), normalized);
        }
        if (existing != null) {
            changes.setRole(existing.id(), Role.ADMIN, event(existing.id(), Map.of("email", normalized, "created", false)));
            return new Result(Outcome.PROMOTED, existing.id(), normalized);
        }
        String pw = password.get();
        AccountService.validPassword(pw);
        String hash = passwords.hash(pw);
        String id = "usr_" + hex(12);
        boolean inserted = changes.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, email, password_hash, tier,"
                    + " credit_micros, created_ms, role) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING")) {
                ps.setString(1, id);
                ps.setString(2, normalized);
                ps.setString(3, hash);
                ps.setString(4, Tier.FREE.wireName());
                ps.setLong(5, starterCreditMicros);
                ps.setLong(6, clock.millis());
                ps.setString(7, Role.ADMIN.wireName());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            changes.audit().record(c, event(id, Map.of("email", normalized, "created", true)));
            return true;
        });
        if (!inserted) {
            // Registered between the look-up and the insert: make that account the admin instead.
            return make(normalized, password);
        }
        return new Result(Outcome.CREATED, id, normalized);
    }

    private static AuditEvent event(String accountId, Map<String, Object> details) {
        return AuditEvent.of(AuditActions.ADMIN_CREATED, accountId, AuditEvent.SYSTEM, accountId, Origin.SYSTEM, details);
    }

    private record Existing(String id, Role role) {
    }

    private Existing find(String email) throws SQLException {
        return changes.inTransaction((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, role FROM accounts WHERE email = ?")) {
                ps.setString(1, email.toLowerCase(Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Existing(rs.getString(1), Role.parse(rs.getString(2)).orElse(Role.USER)) : null;
                }
            }
        });
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
