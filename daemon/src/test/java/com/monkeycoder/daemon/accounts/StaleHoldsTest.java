package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.ledger.JdbcLedger;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds are given back only when the instance that owns them is gone (its heartbeat older than the instance
 * timeout), never for being old; and a request's row debits its cost whether or not its hold is still there.
 */
class StaleHoldsTest {

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T12:00:00Z"));

    private Database open(SharedStores stores) throws Exception {
        return stores.engine() == SharedStores.Engine.POSTGRES ? Database.open(stores.postgresUrl(), 4)
                : Database.sqlite(home.resolve("h.db"));
    }

    private static void execute(Database db, String... sql) throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private long ago(Duration d) {
        return clock.millis() - d.toMillis();
    }

    @ParameterizedTest
    @EnumSource(SharedStores.Engine.class)
    void holdsOfAGoneInstanceAreGivenBackAndThoseOfALiveOneKeptHoweverOld(SharedStores.Engine engine) throws Exception {
        try (SharedStores stores = SharedStores.create(engine, home); Database db = open(stores);
             JdbcLedger ignored = new JdbcLedger(db);
             JdbcCredits credits = new JdbcCredits(db, clock, 4096, 8, Duration.ofMinutes(2))) {
            execute(db, "INSERT INTO accounts (id, email, password_hash, tier, credit_micros, created_ms)"
                            + " VALUES ('usr_1', 'a@example.com', 'x', 'free', 100, 0)",
                    "INSERT INTO instances (id, heartbeat_ms) VALUES ('ins_dead', " + ago(Duration.ofMinutes(5)) + ")",
                    "INSERT INTO instances (id, heartbeat_ms) VALUES ('ins_live', " + ago(Duration.ofSeconds(10)) + ")",
                    // the instance died mid-request
                    "INSERT INTO credit_holds (request_id, account_id, amount_micros, created_ms, instance_id)"
                            + " VALUES ('req_dead', 'usr_1', 300, " + ago(Duration.ofMinutes(5)) + ", 'ins_dead')",
                    // a stream running for two hours on a live instance: its hold stays
                    "INSERT INTO credit_holds (request_id, account_id, amount_micros, created_ms, instance_id)"
                            + " VALUES ('req_long', 'usr_1', 50, " + ago(Duration.ofHours(2)) + ", 'ins_live')",
                    // written before holds named their instance
                    "INSERT INTO credit_holds (request_id, account_id, amount_micros, created_ms)"
                            + " VALUES ('req_legacy', 'usr_1', 20, " + ago(Duration.ofHours(2)) + ")");

            assertThat(credits.releaseOrphaned()).isEqualTo(2);
            assertThat(credits.releaseOrphaned()).as("given back once only").isZero();

            assertThat(credits.balance("usr_1")).isEqualTo(420);
            try (Connection c = db.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT request_id FROM credit_holds")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("req_long");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SharedStores.Engine.class)
    void aRowDebitsItsFullCostWhetherItsHoldWasSweptOrNotAndOnlyOnce(SharedStores.Engine engine) throws Exception {
        try (SharedStores stores = SharedStores.create(engine, home); Database db = open(stores);
             JdbcCredits credits = new JdbcCredits(db, clock, 4096, 8, Duration.ofMinutes(2));
             JdbcLedger ledger = new JdbcLedger(db, credits)) {
            // 1,000 on the account, 300 held by req_swept and 300 by req_held, on an instance that stopped answering;
            // then req_held is held again here (700 left).
            execute(db, "INSERT INTO accounts (id, email, password_hash, tier, credit_micros, created_ms)"
                            + " VALUES ('usr_1', 'a@example.com', 'x', 'free', 400, 0)",
                    "INSERT INTO instances (id, heartbeat_ms) VALUES ('ins_cut', " + ago(Duration.ofMinutes(3)) + ")",
                    "INSERT INTO credit_holds (request_id, account_id, amount_micros, created_ms, instance_id)"
                            + " VALUES ('req_swept', 'usr_1', 300, " + ago(Duration.ofMinutes(4)) + ", 'ins_cut')",
                    "INSERT INTO credit_holds (request_id, account_id, amount_micros, created_ms, instance_id)"
                            + " VALUES ('req_held', 'usr_1', 300, " + ago(Duration.ofMinutes(1)) + ", 'ins_cut')");
            execute(db, "UPDATE instances SET heartbeat_ms = " + ago(Duration.ofMinutes(3)));
            assertThat(credits.releaseOrphaned()).isEqualTo(2);
            assertThat(credits.balance("usr_1")).isEqualTo(1000);
            execute(db, "INSERT INTO credit_holds (request_id, account_id, amount_micros, created_ms, instance_id)"
                    + " VALUES ('req_held', 'usr_1', 300, " + clock.millis() + ", '" + credits.instanceId() + "')",
                    "UPDATE accounts SET credit_micros = 700");

            // The swept request's row commits later: its 450 is still debited.
            ledger.record(row("req_swept", 450));
            assertThat(credits.balance("usr_1")).isEqualTo(700 - 450);
            // A row that cost more than its hold and the whole balance: debited in full, the balance goes negative.
            ledger.record(row("req_held", 900));
            assertThat(credits.balance("usr_1")).isEqualTo(250 + 300 - 900);
            // A row offered again is not debited again.
            ledger.record(row("req_held", 900));
            assertThat(credits.balance("usr_1")).isEqualTo(-350);
            try (Connection c = db.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM credit_holds")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    private LedgerRow row(String requestId, long cost) {
        return new LedgerRow(requestId, clock.millis(), "usr_1", "key_1", "chat", "openai", "gpt-4.1", 100, 100, 0, 0,
                cost, false, false, 10, "ok", null, null, 0, null);
    }
}
