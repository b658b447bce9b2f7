package com.monkeycoder.daemon.config;

import com.monkeycoder.daemon.limits.Tier;

import com.monkeycoder.shared.net.Cidr;

import java.time.Duration;
import java.util.List;

/**
 * Settings of accounts, limits, credits and the shared gateway's stores.
 *
 * @param databaseUrl         {@code DATABASE_URL}: PostgreSQL for the shared gateway (null on the local daemon)
 * @param redisUrl            {@code REDIS_URL}: limits and revocations shared by the gateway's instances
 * @param secret              {@code MONKEY_CODER_SECRET}: the HMAC pepper keys are hashed with
 * @param redisPrefix         put before every Redis key ({@code MONKEY_CODER_REDIS_PREFIX}, default {@code monkey:})
 * @param starterCreditMicros a new account's balance ({@code MONKEY_CODER_STARTER_CREDITS_USD}, default 1.00)
 * @param localTier           the local daemon's user's tier ({@code local_tier} in config.json; default unlimited)
 * @param reserveMaxTokens    the output tokens held for a request that sets no {@code max_tokens}
 * @param authCacheTtl        how long an instance keeps a key lookup in memory
 * @param databasePoolSize    PostgreSQL connections per instance
 * @param creditsEnforced     false to serve accounts without credit balances ({@code MONKEY_CODER_CREDITS=off})
 * @param maxOpenHolds        the credit holds (requests in flight) one account may have at once
 * @param instanceTimeout     how long an instance may miss its heartbeat before its credit holds are given back
 * @param maxKeysPerAccount   active keys an account may have ({@code max_keys_per_account})
 * @param trustedProxies      peers whose {@code X-Forwarded-For} / {@code Forwarded} is believed ({@code trusted_proxies})
 * @param passwordHashConcurrency password hashes at once per instance as set ({@code password_hash_concurrency}; 0:
 *                            one per core, see {@link #passwordHashPermits()})
 * @param signupsPerHour      registrations per clock hour, all instances together ({@code signups_per_hour})
 */
public record AccountSettings(String databaseUrl, String redisUrl, String secret, String redisPrefix,
                              long starterCreditMicros, Tier localTier, long reserveMaxTokens, Duration authCacheTtl,
                              int databasePoolSize, boolean creditsEnforced,
                              int maxOpenHolds, Duration instanceTimeout, int maxKeysPerAccount,
                              List<Cidr> trustedProxies, int passwordHashConcurrency, int signupsPerHour) {

    /** The password hashes this instance computes at once: the setting, or one per core when it is 0. */
    public int passwordHashPermits() {
        return passwordHashConcurrency > 0 ? passwordHashConcurrency : Runtime.getRuntime().availableProcessors();
    }
}
