package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code GET /v1/billing/plans}: one plan per tier by default, the operator's plans.json instead, a bad one refused at start. */
class PlansRouteTest {

    @TempDir
    Path home;

    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theDefaultsAreOnePlanPerTierWithItsLimitsAndNeedNoKey() {
        gateway = TestGateway.start(home, Map.of());

        var r = gateway.get("/v1/billing/plans", null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode plans = TestGateway.json(r).path("plans");
        assertThat(plans.findValuesAsText("name")).containsExactly("free", "pro", "enterprise", "unlimited");
        JsonNode pro = plans.get(1);
        assertThat(pro.path("price_usd").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(pro.path("price_micros").asLong()).isEqualTo(20_000_000);
        assertThat(pro.path("credits_usd_per_month").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(pro.path("tier").asText()).isEqualTo("pro");
        assertThat(pro.path("requests_per_hour").asLong()).isEqualTo(1_000);
        assertThat(pro.path("requests_per_month").asLong()).isEqualTo(30_000);
        assertThat(plans.get(3).path("requests_per_month").isNull()).isTrue();
    }

    @Test
    void theOperatorsPlansReplaceTheDefaults() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/plans.json"), """
                {"plans": [{"name": "team", "description": "Five seats", "price_usd": 49.5,
                            "credits_usd_per_month": 40, "tier": "enterprise"}]}""");
        gateway = TestGateway.start(home, Map.of());

        JsonNode plans = TestGateway.json(gateway.get("/v1/billing/plans", null)).path("plans");

        assertThat(plans).hasSize(1);
        assertThat(plans.get(0).path("name").asText()).isEqualTo("team");
        assertThat(plans.get(0).path("price_micros").asLong()).isEqualTo(49_500_000);
        assertThat(plans.get(0).path("credits_micros_per_month").asLong()).isEqualTo(40_000_000);
        assertThat(plans.get(0).path("requests_per_hour").asLong()).isEqualTo(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"plans\": []}",
            "{\"plans\": [{\"name\": \"x\", \"price_usd\": -1, \"tier\": \"pro\"}]}",
            "{\"plans\": [{\"name\": \"x\", \"price_usd\": \"ten\", \"tier\": \"pro\"}]}",
            "{\"plans\": [{\"name\": \"x\", \"price_usd\": 10, \"tier\": \"gold\"}]}",
            "{\"plans\": [{\"name\": \"Bad Name\", \"tier\": \"pro\"}]}",
            "{\"plans\": [{\"name\": \"x\", \"tier\": \"pro\"}, {\"name\": \"x\", \"tier\": \"free\"}]}",
            "not json"})
    void aPlansFileThatIsNotValidStopsTheStartSayingWhy(String content) throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/plans.json"), content);

        assertThatThrownBy(() -> com.monkeycoder.daemon.billing.PlanCatalog.load(home.resolve("config/plans.json")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("plans.json");
    }
}
