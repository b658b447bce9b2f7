package com.monkeycoder.daemon.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the versioned schema files under {@code db/migration} in order, each once, each in its own
 * transaction, recording what was applied in {@code schema_version}. The same files serve SQLite and PostgreSQL
 * ({@link Dialect#migration} holds the one difference); on PostgreSQL an advisory lock lets N gateways start at
 * once without applying a file twice.
 */
public final class Migrations {

    /** In order; a new file is added at the end, and an applied one is never edited. */
    private static final List<String> FILES = List.of("V001__ledger.sql", "V002__response_cache.sql", "V003__accounts.sql",
            "V004__ledger_sessions.sql", "V005__key_scopes.sql", "V006__credit_instances.sql",
            "V007__conversations.sql", "V008__accounts_audit.sql", "V009__billing.sql",
            "V010__sessions_mfa.sql", "V011__email_tokens.sql", "V012__admin_keys.sql");
    /** Any fixed number: the lock that serialises migrations between gateways sharing one PostgreSQL. */
    private static final long ADVISORY_LOCK = 0x6d6f6e6b6579L;

    private Migrations() {
    }

    /** Brings the database's schema up to date. */
    public static void apply(Database database) throws SQLException {
        try (Connection connection = database.connection()) {
            if (database.dialect() == Dialect.POSTGRES) {
                try (Statement st = connection.createStatement()) {
                    st.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")");
                }
                try {
                    apply(connection, database.dialect());
                } finally {
                    try (Statement st = connection.createStatement()) {
                        st.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")");
                    }
                }
            } else {
                apply(connection, database.dialect());
            }
        }
    }

    private static void apply(Connection connection, Dialect dialect) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(dialect.migration("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)"));
        }
        int current = currentVersion(connection);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (int i = current; i < FILES.size(); i++) {
                String name = FILES.get(i);
                try (Statement st = connection.createStatement()) {
                    for (String sql : statements(read(name))) {
                        String forEngine = forEngine(sql, dialect);
                        if (forEngine != null) {
                            st.execute(dialect.migration(forEngine));
                        }
                    }
                    st.execute("INSERT INTO schema_version (version, name, applied_ms) VALUES (" + (i + 1) + ", '"
                            + name + "', " + System.currentTimeMillis() + ")");
                }
                connection.commit();
            }
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            int version = rs.getInt(1);
            if (version > FILES.size()) {
                throw new SQLException("the database has schema version " + version
                        + ", newer than this gateway knows (" + FILES.size() + "): upgrade Monkey Coder");
            }
            return version;
        }
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing from the gateway's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A statement as {@code dialect} runs it: one that starts with {@code /*sqlite*\/} or {@code /*postgres*\/}
     * runs only on that engine (null elsewhere), without its marker; any other runs on both.
     */
    static String forEngine(String statement, Dialect dialect) {
        for (Dialect d : Dialect.values()) {
            String marker = "/*" + d.name().toLowerCase(java.util.Locale.ROOT) + "*/";
            if (statement.startsWith(marker)) {
                return d == dialect ? statement.substring(marker.length()).strip() : null;
            }
        }
        return statement;
    }

    /** Splits a file into statements; our migrations hold no semicolons inside literals. */
    private static List<String> statements(String script) {
        String withoutComments = script.replaceAll("(?m)^\\s*--.*$", "");
        return java.util.Arrays.stream(withoutComments.split(";"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
