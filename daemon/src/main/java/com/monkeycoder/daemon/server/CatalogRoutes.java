package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.routing.HealthBoard;
import com.monkeycoder.shared.wire.ModelInfo;

import java.util.List;
import java.util.Map;

/** {@code GET /v1/models} (OpenAI's list shape) and {@code GET /v1/providers}. */
final class CatalogRoutes {

    private final ProviderRegistry providers;
    private final HealthBoard health;
    private final long createdEpochSeconds;

    CatalogRoutes(ProviderRegistry providers, HealthBoard health, long createdEpochSeconds) {
        this.providers = providers;
        this.health = health;
        this.createdEpochSeconds = createdEpochSeconds;
    }

    void models(HttpCall call) {
        List<ModelInfo> data = providers.catalog().models().stream().map(this::info).toList();
        call.sendJson(200, Map.of("object", "list", "data", data));
    }

    void providers(HttpCall call) {
        call.sendJson(200, Map.of("providers", providers.describe(
                name -> health.of(name).breaker().state().name().toLowerCase())));
    }

    private ModelInfo info(ModelEntry m) {
        var traits = providers.catalog().traits(m);
        return new ModelInfo(m.qualifiedId(), "model", createdEpochSeconds, m.provider(), m.provider(), m.id(),
                m.contextWindow(), m.inputMicrosPerMillion() / 1_000_000.0, m.outputMicrosPerMillion() / 1_000_000.0,
                m.cacheReadMicrosPerMillion() / 1_000_000.0, m.cacheWriteMicrosPerMillion() / 1_000_000.0,
                traits.aliases(), traits.capabilities(), providers.isConfigured(m.provider()));
    }
}
