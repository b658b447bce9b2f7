package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.ledger.JdbcLedger;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.daemon.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Holds left by an instance killed mid-request are given back once no request could still be using them. */
class StaleHoldsTest {

    @TempDir
    Path home;

    @Test
    void holdsOlderThanAnyRequestAreGivenBackAndFreshOnesKept() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-15T12:00:00Z"));
        long now = clock.millis();
        try (Database db = Database.sqlite(home.resolve("h.db")); JdbcLedger ignored = new JdbcLedger(db);
             JdbcCredits credits = new JdbcCredits(db, clock, 4096)) {
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO accounts (id, email, password_hash, tier, credit_micros, created_ms)"
                        + " VALUES ('usr_1', 'a@example.com', 'x', 'free', 100, 0)");
                // Two requests held 300 and 50 micro-dollars; the instance died before either row was written.
                st.execute("INSERT INTO credit_holds VALUES ('req_old', 'usr_1', 300, " + (now - Duration.ofHours(2).toMillis()) + ")");
                st.execute("INSERT INTO credit_holds VALUES ('req_new', 'usr_1', 50, " + (now - Duration.ofMinutes(5).toMillis()) + ")");
            }

            assertThat(credits.releaseStale(JdbcCredits.STALE_HOLD)).isEqualTo(1);
            assertThat(credits.releaseStale(JdbcCredits.STALE_HOLD)).as("given back once only").isZero();

            assertThat(credits.balance("usr_1")).isEqualTo(400);
            try (Connection c = db.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT request_id FROM credit_holds")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("req_new");
            }
        }
    }
}
