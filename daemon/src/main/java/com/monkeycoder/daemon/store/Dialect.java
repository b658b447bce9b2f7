package com.monkeycoder.daemon.store;

/**
 * The two SQL engines the gateway stores its data in. The schema and queries are written once in SQL both
 * understand; the few places where they differ are the methods here, so every difference is in one file.
 */
public enum Dialect {
    /** The local daemon's embedded file (and a single-machine gateway). */
    SQLITE,
    /** The shared gateway's database, for N instances behind a load balancer. */
    POSTGRES;

    /**
     * A migration statement for this engine. SQLite's {@code INTEGER} is already 64-bit; PostgreSQL's is 32-bit,
     * so there every {@code INTEGER} column becomes {@code BIGINT} (milliseconds and micro-dollars need 64 bits).
     */
    public String migration(String statement) {
        return this == POSTGRES ? statement.replaceAll("\\bINTEGER\\b", "BIGINT") : statement;
    }

    /** The UTC day ({@code YYYY-MM-DD}) of a column that holds epoch milliseconds. */
    public String utcDay(String epochMillisColumn) {
        return switch (this) {
            case SQLITE -> "strftime('%Y-%m-%d', " + epochMillisColumn + " / 1000, 'unixepoch')";
            case POSTGRES -> "to_char(to_timestamp(" + epochMillisColumn + " / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
        };
    }
}
