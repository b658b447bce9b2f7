package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a store that does not answer from a bug: a Redis or database connection failure anywhere under a request
 * (authentication, limits, credits) is a 503 {@code SERVICE_UNAVAILABLE} with {@code Retry-After}, not a 500. The
 * request was refused before anything was admitted: the limits count a request in the same Lua call that admits it,
 * so a request that could not be counted is not served (limits fail closed).
 */
final class Unavailable {

    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private Unavailable() {
    }

    /** The 503 for {@code failure} when a store's connection caused it; empty when it is something else. */
    static Optional<ApiError> of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof JedisConnectionException
                    || (t instanceof JedisException && !(t instanceof JedisDataException))) {
                return Optional.of(error("redis", "the gateway's rate-limit store (Redis) is unavailable"));
            }
            if (t instanceof SQLException sql && connectionFailure(sql)) {
                return Optional.of(error("database", "the gateway's database is unavailable"));
            }
        }
        return Optional.empty();
    }

    private static boolean connectionFailure(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        // 08: connection exception; 57P: operator intervention (the server shutting down or restarting)
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static ApiError error(String store, String message) {
        return new ApiError(ErrorCode.SERVICE_UNAVAILABLE, message + "; try again shortly",
                Map.of("reason", store + "_unavailable"), RETRY_AFTER);
    }
}
