package com.monkeycoder.daemon.limits;

import com.monkeycoder.daemon.testing.SharedStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

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
        Plan plan = new Plan(Tier.FREE, 3, 100, true, false);
        Instant t = Instant.parse("2026-01-15T10:59:59Z");

        assertThat(limiter.acquire("s", plan, t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        assertThat(limiter.acquire("s", plan, t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        RateLimiter.Decision third = limiter.acquire("s", plan, t);
        RateLimiter.Decision fourth = limiter.acquire("s", plan, t);

        assertThat(third).isEqualTo(new RateLimiter.Decision(RateLimiter.Verdict.ADMITTED, 3, 3));
        assertThat(fourth).isEqualTo(new RateLimiter.Decision(RateLimiter.Verdict.HOURLY_LIMIT, 3, 3));
        assertThat(limiter.acquire("other", plan, t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        RateLimiter.Decision nextHour = limiter.acquire("s", plan, t.plusSeconds(1));
        assertThat(nextHour).isEqualTo(new RateLimiter.Decision(RateLimiter.Verdict.ADMITTED, 1, 4));
        assertThat(limiter.peek("s", plan, t.plusSeconds(1))).isEqualTo(new RateLimiter.Decision(RateLimiter.Verdict.ADMITTED, 1, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void theMonthlyQuotaRefusesBeforeTheHourlyLimitAndResetsWithTheMonth(String kind) {
        RateLimiter limiter = limiter(kind);
        Plan plan = new Plan(Tier.FREE, 10, 2, true, false);
        Instant t = Instant.parse("2026-01-31T23:00:00Z");

        limiter.acquire("s", plan, t);
        limiter.acquire("s", plan, t.plus(Duration.ofMinutes(1)));

        assertThat(limiter.acquire("s", plan, t.plus(Duration.ofMinutes(2))).verdict()).isEqualTo(RateLimiter.Verdict.MONTHLY_QUOTA);
        assertThat(limiter.acquire("s", plan, Instant.parse("2026-02-01T00:00:00Z")).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void unlimitedHasNoMonthlyCap(String kind) {
        RateLimiter limiter = limiter(kind);
        Plan plan = new Plan(Tier.UNLIMITED, 1_000_000, Tier.NO_CAP, false, false);
        Instant t = Instant.parse("2026-01-15T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("u", plan, t).verdict()).isEqualTo(RateLimiter.Verdict.ADMITTED);
        }
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
