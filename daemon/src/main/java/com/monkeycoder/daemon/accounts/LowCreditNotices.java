package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.ledger.CommitHook;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.mail.Mail;
import com.monkeycoder.daemon.mail.Mailer;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.shared.text.Money;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One mail when an account's balance falls below {@code low_credit_threshold_usd}, and no other until it has been
 * above again. The ledger's commit only hands over the ids of the accounts its rows cost something (a set, however
 * many rows); a thread of its own compares their balances with the threshold afterwards, so no request waits for it.
 * {@code accounts.low_credit_notified_ms} remembers a notice, so of N instances only the first to see a crossing
 * sends it: setting it is a conditional update only one of them makes.
 */
public final class LowCreditNotices implements CommitHook, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LowCreditNotices.class.getName());

    private final Database database;
    private final Mailer mailer;
    private final Clock clock;
    private final long thresholdMicros;
    private final String publicUrl;
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final Semaphore signal = new Semaphore(0);
    private final Thread checker;
    private volatile boolean closed;

    /** @param thresholdMicros the balance below which an account is told; 0: never */
    public LowCreditNotices(Database database, Mailer mailer, Clock clock, long thresholdMicros, String publicUrl) {
        this.database = database;
        this.mailer = mailer;
        this.clock = clock;
        this.thresholdMicros = thresholdMicros;
        this.publicUrl = publicUrl;
        this.checker = active() ? Thread.ofPlatform().name("low-credit").daemon(true).start(this::run) : null;
    }

    private boolean active() {
        return mailer.enabled() && thresholdMicros > 0;
    }

    @Override
    public void inTransaction(Connection connection, List<LedgerRow> rows) {
    }

    @Override
    public void committed(List<LedgerRow> rows) {
        if (checker == null) {
            return;
        }
        boolean any = false;
        for (LedgerRow row : rows) {
            if (row.costMicros() > 0 && row.userId() != null) {
                any |= touched.add(row.userId());
            }
        }
        if (any) {
            signal.release();
        }
    }

    private void run() {
        while (!closed) {
            try {
                signal.acquire();
                signal.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            List<String> accounts = new ArrayList<>(touched);
            touched.removeAll(accounts);
            for (String accountId : accounts) {
                try {
                    check(accountId);
                } catch (SQLException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "low-credit check of " + accountId + " failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Clears the mark of an account back above the threshold, or sets it (and sends the mail) for one below it
     * that has none. Also called for accounts whose balance changed otherwise.
     */
    void check(String accountId) throws SQLException {
        try (Connection c = database.connection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET low_credit_notified_ms = NULL"
                    + " WHERE id = ? AND low_credit_notified_ms IS NOT NULL AND credit_micros >= ?")) {
                ps.setString(1, accountId);
                ps.setLong(2, thresholdMicros);
                if (ps.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET low_credit_notified_ms = ?"
                    + " WHERE id = ? AND low_credit_notified_ms IS NULL AND credit_micros < ?")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, accountId);
                ps.setLong(3, thresholdMicros);
                if (ps.executeUpdate() != 1) {
                    return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT email, credit_micros FROM accounts WHERE id = ?")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        send(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
    }

    private void send(String email, long balance) {
        mailer.send(new Mail(email, "Your Monkey Coder credits are running low", """
                Hello,

                The credit balance of %s on the Monkey Coder gateway at %s is now %s, below %s.
                Requests are refused (402) once it cannot cover them; see your usage with 'monkey usage'
                and add credits before then.

                This is the only such mail until your balance is above %s again.
                """.formatted(email, publicUrl, Money.format(balance), Money.format(thresholdMicros),
                Money.format(thresholdMicros))));
    }

    @Override
    public void close() {
        closed = true;
        if (checker != null) {
            checker.interrupt();
        }
    }
}
