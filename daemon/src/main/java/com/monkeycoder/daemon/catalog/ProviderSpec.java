package com.monkeycoder.daemon.catalog;

import java.util.List;

/**
 * What the gateway knows about a provider before any key is set: where it lives, which env vars
 * enable it, its wire format and the model used when a request names none.
 *
 * @param keyEnv      the env vars holding its key, first one preferred ({@code GOOGLE_API_KEY}, alias {@code GEMINI_API_KEY})
 * @param baseUrlEnv  the env var overriding the base URL, as the provider's own SDKs read it
 * @param keyRequired false for local servers (Ollama) that take no key
 */
public record ProviderSpec(
        String name,
        String displayName,
        String wireFormat,
        List<String> keyEnv,
        String baseUrlEnv,
        String defaultBaseUrl,
        String defaultModel,
        boolean keyRequired) {
}
