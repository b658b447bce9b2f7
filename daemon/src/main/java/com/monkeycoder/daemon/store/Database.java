package com.monkeycoder.daemon.store;

import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.shared.PrivateFiles;
import com.monkeycoder.shared.Redaction;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the gateway's tables live: an SQLite file (the local daemon; WAL, a connection per use) or PostgreSQL
 * through a HikariCP pool (the shared gateway). Ledger, accounts and the cache's persistent level all take one
 * of these, so each of them is written once for both engines.
 */
public final class Database implements AutoCloseable {

    private final Dialect dialect;
    private final String jdbcUrl;
    private final HikariDataSource pool;
    private final String description;
    private final Path file;

    private Database(Dialect dialect, String jdbcUrl, HikariDataSource pool, String description, Path file) {
        this.file = file;
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        this.pool = pool;
        this.description = description;
    }

    /** The embedded file, created with its folder when missing. */
    public static Database sqlite(Path file) throws SQLException {
        // The file and its folder are the user's alone (0600, 0700) whatever the umask; SQLite gives the -wal and
        // -shm files the database file's mode, and ones an older version left are tightened here.
        try {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
            PrivateFiles.file(file);
            PrivateFiles.restrictIfExists(Path.of(file + "-wal"));
            PrivateFiles.restrictIfExists(Path.of(file + "-shm"));
            PrivateFiles.restrictIfExists(Path.of(file + "-journal"));
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + file + " or its folder: " + e.getMessage(), e);
        }
        Database db = new Database(Dialect.SQLITE, "jdbc:sqlite:" + file, null, "SQLite " + file, file);
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
        }
        return db;
    }

    /**
     * A database from {@code DATABASE_URL}: {@code postgres://user:password@host:port/db?...},
     * {@code jdbc:postgresql://...} or {@code jdbc:sqlite:/path/monkey.db}. PostgreSQL is checked with one query
     * before this returns, so a wrong URL fails at start with a message rather than on the first request.
     */
    public static Database open(String url, int poolSize) throws SQLException {
        if (url.startsWith("jdbc:sqlite:")) {
            return sqlite(Path.of(url.substring("jdbc:sqlite:".length())));
        }
        String jdbc = jdbcPostgresUrl(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbc);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("monkey-postgres");
        config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        config.setInitializationFailTimeout(Duration.ofSeconds(5).toMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SQLException("cannot connect to PostgreSQL at " + redacted(jdbc) + ": "
                    + redacted(String.valueOf(cause.getMessage())), cause);
        }
        return new Database(Dialect.POSTGRES, jdbc, pool, "PostgreSQL " + redacted(jdbc), null);
    }

    /**
     * Whether opening failed because the server did not answer, or answered that it is still starting, rather than
     * because the URL, the login or the database is wrong: only the first is worth retrying.
     */
    public static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P03"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code postgres://u:p@h:5432/db?x=y} (the form most platforms hand out) as a JDBC URL; JDBC URLs pass as they are. */
    static String jdbcPostgresUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new ConfigException("DATABASE_URL must start with postgres://, postgresql://, jdbc:postgresql: or"
                    + " jdbc:sqlite: (it starts with '" + url.substring(0, Math.min(url.length(), 12)) + "')");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            // The parser's message quotes the whole URL, password and all: say where it broke, never what it holds.
            throw new ConfigException("DATABASE_URL is not a valid URL (" + e.getReason() + " at index " + e.getIndex()
                    + " of " + redacted(url) + "); percent-encode special characters in the user and password");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("DATABASE_URL " + redacted(url) + " names no host: use postgres://user:password@host:5432/db");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            params.put("user", decode(userInfo[0]));
            if (userInfo.length > 1) {
                params.put("password", decode(userInfo[1]));
            }
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        params.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        if (!query.isEmpty()) {
            jdbc.append('?').append(query);
        }
        return jdbc.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL (or any text) without its passwords, for messages and logs. */
    static String redacted(String jdbcUrl) {
        return Redaction.secrets(jdbcUrl);
    }

    /** The SQLite file, when the store is one (readiness checks it is still there and writable). */
    public java.util.Optional<Path> file() {
        return java.util.Optional.ofNullable(file);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** A connection in auto-commit mode; the caller closes it (back to the pool, for PostgreSQL). */
    public Connection connection() throws SQLException {
        if (pool != null) {
            return pool.getConnection();
        }
        Connection c = DriverManager.getConnection(jdbcUrl);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute("PRAGMA busy_timeout=10000");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
