package com.monkeycoder.daemon.ledger;

import com.monkeycoder.shared.wire.UsageReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** The SQLite ledger on a real file in a temp folder: commits, idempotence, group commit, migrations, WAL. */
class SqliteLedgerTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:30:00Z");

    @TempDir
    Path dir;

    private Path file;
    private JdbcLedger ledger;

    @BeforeEach
    void open() throws LedgerException {
        file = dir.resolve("data/monkey.db");
        ledger = JdbcLedger.sqlite(file);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void rowIsCommittedWhenRecordReturns() throws Exception {
        ledger.record(row("req_1", T0, 100, 20, 7));

        assertThat(ledger.count("req_1")).isEqualTo(1);
        // Another connection sees it at once: the row is committed, not only queued.
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT provider, model, prompt_tokens, completion_tokens, cost_micros, status"
                     + " FROM ledger WHERE request_id = 'req_1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("openai");
            assertThat(rs.getString(2)).isEqualTo("gpt-4.1-mini");
            assertThat(rs.getLong(3)).isEqualTo(100);
            assertThat(rs.getLong(4)).isEqualTo(20);
            assertThat(rs.getLong(5)).isEqualTo(7);
            assertThat(rs.getString(6)).isEqualTo("ok");
        }
        assertThat(ledger.count("req_other")).isZero();
    }

    @Test
    void recordingTheSameRequestTwiceKeepsTheFirstRow() throws Exception {
        ledger.record(row("req_1", T0, 100, 20, 7));
        ledger.record(row("req_1", T0.plusSeconds(1), 999, 999, 999));

        assertThat(ledger.count("req_1")).isEqualTo(1);
        UsageReport.Bucket totals = ledger.usage(T0, T0.plusSeconds(60)).totals();
        assertThat(totals.requests()).isEqualTo(1);
        assertThat(totals.promptTokens()).isEqualTo(100);
        assertThat(totals.costMicros()).isEqualTo(7);
    }

    @Test
    void concurrentRecordsFromVirtualThreadsAllLandAndAddUpExactly() throws Exception {
        int n = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                done.add(threads.submit(() -> {
                    go.await();
                    ledger.record(row("req_" + k, T0.plusMillis(k), k, 2L * k, 3L * k + 1));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }

        UsageReport.Bucket totals = ledger.usage(T0, T0.plusSeconds(60)).totals();
        long sum = (long) n * (n - 1) / 2;
        assertThat(totals.requests()).isEqualTo(n);
        assertThat(totals.promptTokens()).isEqualTo(sum);
        assertThat(totals.completionTokens()).isEqualTo(2 * sum);
        assertThat(totals.costMicros()).isEqualTo(3 * sum + n);
        for (int i = 0; i < n; i += 37) {
            assertThat(ledger.count("req_" + i)).isEqualTo(1);
        }
    }

    @Test
    void aLoneRowIsCommittedOnTheCallersThreadAndABurstSharesCommits() throws Exception {
        List<String> committers = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        ledger.close();
        ledger = new JdbcLedger(com.monkeycoder.daemon.store.Database.sqlite(dir.resolve("observed.db")),
                CommitHook.NONE, (rows, nanos, ok) -> {
                    committers.add(Thread.currentThread().getName());
                    sizes.add(rows);
                });
        String name = Thread.currentThread().getName();
        Thread.currentThread().setName("lone-request");
        try {
            ledger.record(row("req_lone", T0, 1, 1, 1));
        } finally {
            Thread.currentThread().setName(name);
        }
        // No hand-off to the writer thread and back: the request committed its own row.
        assertThat(committers).containsExactly("lone-request");

        int n = 400;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                done.add(threads.submit(() -> {
                    go.await();
                    ledger.record(row("burst_" + k, T0.plusMillis(k), 1, 1, 1));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(ledger.usage(T0, T0.plusSeconds(60)).totals().requests()).isEqualTo(n + 1);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(n + 1);
        assertThat(sizes.size()).as("commits for %d rows", n + 1).isLessThan(n + 1);
    }

    @Test
    void reopenedLedgerKeepsItsRowsAndAppliesEachMigrationOnce() throws Exception {
        ledger.record(row("req_1", T0, 100, 20, 7));
        long appliedAt = appliedMs();
        ledger.close();

        ledger = JdbcLedger.sqlite(file);
        ledger.close();
        ledger = JdbcLedger.sqlite(file);

        assertThat(ledger.count("req_1")).isEqualTo(1);
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, name FROM schema_version ORDER BY version")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                applied.add(rs.getInt(1) + " " + rs.getString(2));
            }
            assertThat(applied).containsExactly("1 V001__ledger.sql", "2 V002__response_cache.sql", "3 V003__accounts.sql",
                    "4 V004__ledger_sessions.sql", "5 V005__key_scopes.sql", "6 V006__credit_instances.sql",
                    "7 V007__conversations.sql", "8 V008__accounts_audit.sql", "9 V009__billing.sql", "10 V010__sessions_mfa.sql",
                    "11 V011__email_tokens.sql", "12 V012__admin_keys.sql");
        }
        assertThat(appliedMs()).as("the migration was not applied again").isEqualTo(appliedAt);
    }

    @Test
    void databaseFromANewerGatewayIsRefused() throws Exception {
        ledger.close();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version (version, name, applied_ms) VALUES (99, 'V099__future.sql', 0)");
        }

        assertThatThrownBy(() -> JdbcLedger.sqlite(file)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("newer").hasMessageContaining("upgrade");
        ledger = JdbcLedger.sqlite(dir.resolve("other/monkey.db"));
    }

    @Test
    void fileIsInWalMode() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void usageWindowIncludesItsStartAndExcludesItsEnd() throws Exception {
        ledger.record(row("at_start", T0, 1, 0, 0));
        ledger.record(row("inside", T0.plusSeconds(30), 10, 0, 0));
        ledger.record(row("at_end", T0.plusSeconds(60), 100, 0, 0));
        ledger.record(row("before", T0.minusMillis(1), 1000, 0, 0));

        UsageReport report = ledger.usage(T0, T0.plusSeconds(60));

        assertThat(report.totals().requests()).isEqualTo(2);
        assertThat(report.totals().promptTokens()).isEqualTo(11);
        assertThat(report.from()).isEqualTo(T0.toString());
    }

    @Test
    void usageGroupsByModelProviderAndUtcDay() throws Exception {
        ledger.record(row("a", T0, 1, 1, 5));
        ledger.record(new LedgerRow("b", T0.plusSeconds(86_400).toEpochMilli(), "local", "local", "execute", "demo",
                "monkey-demo", 2, 2, 0, 0, 0, false, false, 3, "ok", null, null));
        ledger.record(new LedgerRow("c", T0.plusSeconds(86_400).toEpochMilli(), "local", "local", "execute", "openai",
                "gpt-4.1-mini", 0, 0, 0, 0, 0, false, false, 3, "error", "LLM_ERROR", 500));

        UsageReport report = ledger.usage(T0.minusSeconds(3600), T0.plusSeconds(3 * 86_400));

        assertThat(report.byModel()).extracting(UsageReport.Bucket::key, UsageReport.Bucket::requests,
                UsageReport.Bucket::errors).containsExactly(tuple("demo/monkey-demo", 1L, 0L),
                tuple("openai/gpt-4.1-mini", 2L, 1L));
        assertThat(report.byProvider()).extracting(UsageReport.Bucket::key).containsExactly("demo", "openai");
        assertThat(report.byDay()).extracting(UsageReport.Bucket::key, UsageReport.Bucket::requests)
                .containsExactly(tuple("2026-01-15", 1L), tuple("2026-01-16", 2L));
        assertThat(report.totals().costMicros()).isEqualTo(5);
        assertThat(report.totals().costUsd()).isEqualTo(0.000005);
    }

    @Test
    void emptyLedgerReportsZeroTotals() throws Exception {
        UsageReport report = ledger.usage(T0, T0.plusSeconds(60));

        assertThat(report.totals().requests()).isZero();
        assertThat(report.byModel()).isEmpty();
        assertThat(report.byDay()).isEmpty();
    }

    @Test
    void closedLedgerRefusesNewRows() {
        ledger.close();

        assertThatThrownBy(() -> ledger.record(row("late", T0, 1, 1, 1))).isInstanceOf(LedgerException.class);
    }

    private static LedgerRow row(String requestId, Instant at, long prompt, long completion, long costMicros) {
        return new LedgerRow(requestId, at.toEpochMilli(), "local", "local", "execute", "openai", "gpt-4.1-mini",
                prompt, completion, 0, 0, costMicros, false, false, 42, "ok", null, null);
    }

    private long appliedMs() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT applied_ms FROM schema_version WHERE version = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }
}
