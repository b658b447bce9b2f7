package com.monkeycoder.shared.wire;

import java.util.List;

/** One entry of {@code GET /v1/providers}: whether the provider can be used now and how to enable it. */
public record ProviderInfo(
        String name,
        String displayName,
        boolean configured,
        String baseUrl,
        String defaultModel,
        List<String> keyEnv,
        String wireFormat,
        String lastError) {
}
