package com.monkeycoder.daemon.limits;

import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.limits.RateLimiter.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory and the Redis limiter count the same way: one contract, both implementations. */
class RateLimiterTest {

    @TempDir
    Path home;

    private SharedStores stores;
    private JedisPooled redis;

    private RateLimiter limiter(String kind) {
        if (kind.equals("memory")) {
            return new MemoryRateLimiter();
        }
        stores = SharedStores.create(SharedStores.Engine.SQLITE, home);
        redis = new JedisPooled(URI.create(SharedStores.REDIS_URL));
        return new RedisRateLimiter(redis, stores.redisPrefix());
    }

    @AfterEach
    void cleanUp() {
        if (redis != null) {
            redis.close();
            stores.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void theHourlyLimitAdmitsExactlyItsCountAndResetsOnTheHour(String kind) {
        RateLimiter limiter = limiter(kind);
        List<Counter> s = List.of(new Counter("s", 3, 100));
        Instant t = Instant.parse("2026-01-15T10:59:59Z");

        assertThat(limiter.acquire(s, t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        assertThat(limiter.acquire(s, t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        RateLimiter.Decision third = limiter.acquire(s, t);
        RateLimiter.Decision fourth = limiter.acquire(s, t);

        assertThat(third).isEqualTo(decision(RateLimiter.Verdict.ADMITTED, -1, count(s.get(0), 3, 3)));
        assertThat(fourth).isEqualTo(decision(RateLimiter.Verdict.HOURLY_LIMIT, 0, count(s.get(0), 3, 3)));
        assertThat(limiter.acquire(List.of(new Counter("other", 3, 100)), t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        RateLimiter.Decision nextHour = limiter.acquire(s, t.plusSeconds(1));
        assertThat(nextHour).isEqualTo(decision(RateLimiter.Verdict.ADMITTED, -1, count(s.get(0), 1, 4)));
        assertThat(limiter.peek(s, t.plusSeconds(1))).isEqualTo(nextHour);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void theMonthlyQuotaRefusesBeforeTheHourlyLimitAndResetsWithTheMonth(String kind) {
        RateLimiter limiter = limiter(kind);
        List<Counter> s = List.of(new Counter("s", 10, 2));
        Instant t = Instant.parse("2026-01-31T23:00:00Z");

        limiter.acquire(s, t);
        limiter.acquire(s, t.plus(Duration.ofMinutes(1)));

        assertThat(limiter.acquire(s, t.plus(Duration.ofMinutes(2))).verdict()).isEqualTo(RateLimiter.Verdict.MONTHLY_QUOTA);
        assertThat(limiter.acquire(s, Instant.parse("2026-02-01T00:00:00Z")).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void unlimitedHasNoMonthlyCap(String kind) {
        RateLimiter limiter = limiter(kind);
        List<Counter> u = Plan.of(Tier.UNLIMITED, false).counters("user:u", "key:k");
        Instant t = Instant.parse("2026-01-15T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire(u, t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    @DisplayName("a key with its own limits counts on its account too: both must allow, a refusal counts nowhere")
    void aKeyWithOverridesCountsOnItsAccountAsWell(String kind) {
        RateLimiter limiter = limiter(kind);
        Counter account = new Counter("user:a", 5, 1_000);
        Counter k1 = new Counter("key:1", 3, 1_000);
        Counter k2 = new Counter("key:2", 3, 1_000);
        Instant t = Instant.parse("2026-01-15T10:00:00Z");

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(List.of(account, k1), t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        }
        RateLimiter.Decision byKey = limiter.acquire(List.of(account, k1), t);
        assertThat(byKey).isEqualTo(decision(RateLimiter.Verdict.HOURLY_LIMIT, 1, count(account, 3, 3), count(k1, 3, 3)));

        assertThat(limiter.acquire(List.of(account, k2), t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        assertThat(limiter.acquire(List.of(account), t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        RateLimiter.Decision byAccount = limiter.acquire(List.of(account, k2), t);

        assertThat(byAccount).isEqualTo(decision(RateLimiter.Verdict.HOURLY_LIMIT, 0, count(account, 5, 5), count(k2, 1, 1)));
        assertThat(byAccount.binding().counter()).isEqualTo(account);
        assertThat(limiter.peek(List.of(account, k2), t).counts()).containsExactly(count(account, 5, 5), count(k2, 1, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aKeysMonthlyQuotaRefusalLeavesItsAccountUncounted(String kind) {
        RateLimiter limiter = limiter(kind);
        Counter account = new Counter("user:a", 100, 3_000);
        Counter key = new Counter("key:1", 100, 1);
        Instant t = Instant.parse("2026-01-15T10:00:00Z");

        limiter.acquire(List.of(account, key), t);
        RateLimiter.Decision refused = limiter.acquire(List.of(account, key), t);

        assertThat(refused.verdict()).isEqualTo(RateLimiter.Verdict.MONTHLY_QUOTA);
        assertThat(refused.refused()).isEqualTo(1);
        assertThat(limiter.peek(List.of(account), t).counts()).containsExactly(count(account, 1, 1));
    }

    private static RateLimiter.Decision decision(RateLimiter.Verdict verdict, int refused, RateLimiter.Count... counts) {
        return new RateLimiter.Decision(verdict, List.of(counts), refused);
    }

    private static RateLimiter.Count count(Counter counter, long hour, long month) {
        return new RateLimiter.Count(counter, hour, month);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void hitsCountInTheirOwnWindow(String kind) {
        RateLimiter limiter = limiter(kind);
        Instant t = Instant.parse("2026-01-15T10:10:00Z");

        assertThat(limiter.hit("login", Duration.ofMinutes(15), t).count()).isEqualTo(1);
        RateLimiter.Hit second = limiter.hit("login", Duration.ofMinutes(15), t);

        assertThat(second.count()).isEqualTo(2);
        assertThat(second.resetIn()).isEqualTo(Duration.ofMinutes(5));
        assertThat(limiter.hit("login", Duration.ofMinutes(15), t.plus(Duration.ofMinutes(5))).count()).isEqualTo(1);
    }
}
