package com.monkeycoder.daemon.testing;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real PostgreSQL and Redis a test runs against (127.0.0.1:5432, database {@code test}, trust auth; and
 * 127.0.0.1:6379), each test in its own schema and key prefix, both removed on close. When a service does not
 * answer, the test fails with a message saying how to start it: these tests never skip.
 */
public final class SharedStores implements AutoCloseable {

    public static final String PG_HOST = env("MONKEY_TEST_PG_HOST", "127.0.0.1");
    public static final String PG_PORT = env("MONKEY_TEST_PG_PORT", "5432");
    public static final String PG_DB = env("MONKEY_TEST_PG_DB", "test");
    public static final String PG_USER = env("MONKEY_TEST_PG_USER", "postgres");
    public static final String REDIS_URL = env("MONKEY_TEST_REDIS_URL", "redis://127.0.0.1:6379");

    /** A fixed secret for tests; production secrets come from the operator. */
    public static final String SECRET = "test-secret-0123456789abcdef0123456789abcdef";

    /** Which engine the accounts, keys and ledger live in. */
    public enum Engine { SQLITE, POSTGRES }

    private final Engine engine;
    private final String schema;
    private final String redisPrefix;
    private final Path home;

    private SharedStores(Engine engine, Path home) {
        this.engine = engine;
        this.home = home;
        String id = HexFormat.of().formatHex(longBytes(ThreadLocalRandom.current().nextLong()));
        this.schema = "t_" + id;
        this.redisPrefix = "test:" + id + ":";
    }

    /** A schema (for PostgreSQL) and a Redis prefix of this test's own. */
    public static SharedStores create(Engine engine, Path home) {
        SharedStores stores = new SharedStores(engine, home);
        stores.checkRedis();
        if (engine == Engine.POSTGRES) {
            stores.execute("CREATE SCHEMA " + stores.schema);
        }
        return stores;
    }

    public Engine engine() {
        return engine;
    }

    public String databaseUrl() {
        return engine == Engine.POSTGRES ? postgresUrl() : "jdbc:sqlite:" + home.resolve("shared.db");
    }

    public String postgresUrl() {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + PG_DB + "?user=" + PG_USER + "&currentSchema=" + schema;
    }

    public String redisPrefix() {
        return redisPrefix;
    }

    /** What a gateway-mode instance needs in its environment to use these stores. */
    public Map<String, String> gatewayEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", databaseUrl());
        env.put("REDIS_URL", REDIS_URL);
        env.put("MONKEY_CODER_SECRET", SECRET);
        env.put("MONKEY_CODER_REDIS_PREFIX", redisPrefix);
        env.put("MONKEY_CODER_DB_POOL", "8");
        // Tests stop gateways with no balancer in front: no pause before the port closes.
        env.put("MONKEY_CODER_DRAIN_PAUSE", "0");
        return env;
    }

    private void checkRedis() {
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(REDIS_URL))) {
            redis.ping();
        } catch (RuntimeException e) {
            throw new AssertionError("Redis is not reachable at " + REDIS_URL + " (" + e.getMessage() + "). These tests"
                    + " need a real Redis: start one with 'redis-server --daemonize yes --port 6379', or point"
                    + " MONKEY_TEST_REDIS_URL at one.", e);
        }
    }

    private void execute(String sql) {
        String url = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + PG_DB + "?user=" + PG_USER;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not usable at " + url + " (" + e.getMessage() + "). These tests need"
                    + " a real PostgreSQL with a database 'test' and trust auth: start it with"
                    + " 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', or set"
                    + " MONKEY_TEST_PG_HOST/PORT/DB/USER.", e);
        }
    }

    /** Drops the schema and the Redis keys under the prefix. */
    @Override
    public void close() {
        if (engine == Engine.POSTGRES) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(REDIS_URL))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match(redisPrefix + "*").count(500));
                List<String> keys = page.getResult();
                if (!keys.isEmpty()) {
                    redis.del(keys.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    private static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
