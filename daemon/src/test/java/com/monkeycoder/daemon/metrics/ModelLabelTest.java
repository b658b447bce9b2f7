package com.monkeycoder.daemon.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11, item 11: a model name a client typed never becomes a label value of its own. */
class ModelLabelTest {

    @Test
    void modelsOutsideTheCatalogShareOneLabelSoClientsCannotGrowTheSeries() {
        GatewayMetrics metrics = new GatewayMetrics(false);
        metrics.knownModels((provider, model) -> provider.equals("openai") && model.equals("gpt-4.1-mini"));
        assertThat(metrics.modelLabel("openai", "gpt-4.1-mini")).isEqualTo("gpt-4.1-mini");
        for (int i = 0; i < 50; i++) {
            assertThat(metrics.modelLabel("ollama", "attacker-model-" + i)).isEqualTo(GatewayMetrics.OTHER);
        }
        assertThat(metrics.modelLabel("openai", "gpt-4.1-mini-typed-by-a-client")).isEqualTo("other");
        assertThat(metrics.modelLabel(null, "x")).isEqualTo("other");
        assertThat(metrics.modelLabel("openai", null)).isEqualTo(GatewayMetrics.NONE);
    }

    @Test
    void beforeTheCatalogIsKnownEveryModelIsOther() {
        assertThat(new GatewayMetrics(false).modelLabel("openai", "gpt-4.1-mini")).isEqualTo("other");
    }
}
