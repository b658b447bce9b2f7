package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.auth.KeyScope;
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
    private final boolean shared;

    /** @param shared a shared gateway: only keys with the admin scope see providers' base URLs and raw errors */
    CatalogRoutes(ProviderRegistry providers, HealthBoard health, long createdEpochSeconds, boolean shared) {
        this.providers = providers;
        this.health = health;
        this.createdEpochSeconds = createdEpochSeconds;
        this.shared = shared;
    }

    /**
     * The catalog in the caller's dialect: Anthropic's list shape ({@code type}, {@code display_name},
     * {@code created_at}, {@code has_more}, {@code first_id}, {@code last_id}) for a client that sends
     * {@code anthropic-version}, as Anthropic's SDKs always do; OpenAI's otherwise. Either way each model also
     * carries the gateway's own fields (provider, prices, capabilities, available).
     */
    void models(HttpCall call) {
        List<ModelInfo> data = providers.catalog().models().stream().map(this::info).toList();
        if (call.header("anthropic-version") == null) {
            call.sendJson(200, Map.of("object", "list", "data", data));
            return;
        }
        String created = java.time.Instant.ofEpochSecond(createdEpochSeconds).toString();
        List<Map<String, Object>> models = new java.util.ArrayList<>();
        for (ModelInfo m : data) {
            Map<String, Object> model = new java.util.LinkedHashMap<>(
                    com.monkeycoder.shared.Json.mapper().convertValue(m, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
            model.remove("object");
            model.remove("created");
            model.put("type", "model");
            model.put("display_name", m.id());
            model.put("created_at", created);
            models.add(model);
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("data", models);
        body.put("has_more", false);
        body.put("first_id", data.isEmpty() ? null : data.getFirst().id());
        body.put("last_id", data.isEmpty() ? null : data.getLast().id());
        call.sendJson(200, body);
    }

    /**
     * Every provider. The local daemon's user and a shared gateway's admins see it all; other users of a shared
     * gateway see only name, configured, healthy, circuit and any_model: the operator's base URLs, key variables and the
     * upstream's raw error text are not theirs to read.
     */
    void providers(HttpCall call) {
        var all = providers.describe(name -> health.of(name).breaker().state().name().toLowerCase());
        if (!shared || call.caller().has(KeyScope.ADMIN)) {
            call.sendJson(200, Map.of("providers", all));
            return;
        }
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (var p : all) {
            Map<String, Object> one = new java.util.LinkedHashMap<>();
            one.put("name", p.name());
            one.put("configured", p.configured());
            one.put("healthy", p.healthy());
            one.put("circuit", p.circuit());
            one.put("any_model", p.anyModel());
            out.add(one);
        }
        call.sendJson(200, Map.of("providers", out));
    }

    private ModelInfo info(ModelEntry m) {
        var traits = providers.catalog().traits(m);
        return new ModelInfo(m.qualifiedId(), "model", createdEpochSeconds, m.provider(), m.provider(), m.id(),
                m.contextWindow(), m.inputMicrosPerMillion() / 1_000_000.0, m.outputMicrosPerMillion() / 1_000_000.0,
                m.cacheReadMicrosPerMillion() / 1_000_000.0, m.cacheWriteMicrosPerMillion() / 1_000_000.0,
                traits.aliases(), traits.capabilities(), providers.isConfigured(m.provider()));
    }
}
