package com.monkeycoder.shared.wire;

import java.util.List;

/**
 * One entry of {@code GET /v1/providers}: whether the provider can be used now, how to enable it, and whether its
 * last call succeeded ({@code healthy}; {@code last_error} says what failed) and its circuit-breaker state
 * ({@code closed}, {@code open}, {@code half_open}).
 * {@code any_model}: the provider serves models the catalog does not list (Ollama), so {@code provider/anything}
 * is a model name it takes.
 */
public record ProviderInfo(
        String name,
        String displayName,
        boolean configured,
        String baseUrl,
        String defaultModel,
        List<String> keyEnv,
        String wireFormat,
        boolean healthy,
        String circuit,
        String lastError,
        boolean anyModel) {
}
