package com.monkeycoder.daemon.cache;

import com.monkeycoder.daemon.providers.CompletionRequest;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ChatMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a request may use the cache, and under which key. A request is cached when its answer is deterministic
 * (temperature 0) or when it asks ({@code use_cache: true}, or a {@code Cache-Control} with {@code max-age});
 * {@code use_cache: false} and {@code Cache-Control: no-store} keep it out entirely, and {@code no-cache} fetches
 * a fresh answer (which is then stored). The key is a SHA-256 of everything that changes the answer: the
 * requested model or routing choice, the messages and the sampling parameters.
 */
public final class CacheRules {

    private CacheRules() {
    }

    /**
     * @param useCache     the request's {@code use_cache}, or null
     * @param cacheControl the request's {@code Cache-Control} header, or null
     * @param routing      what decides the model: the named model, or the preferred providers and model class
     */
    public static CacheDirective directive(Boolean useCache, String cacheControl, String routing, CompletionRequest request) {
        String control = cacheControl == null ? "" : cacheControl.toLowerCase(Locale.ROOT);
        if (Boolean.FALSE.equals(useCache) || control.contains("no-store")) {
            return CacheDirective.NONE;
        }
        Double temperature = request.config().temperature();
        boolean wanted = Boolean.TRUE.equals(useCache) || control.contains("max-age")
                || (temperature != null && temperature == 0.0);
        if (!wanted) {
            return CacheDirective.NONE;
        }
        boolean read = !control.contains("no-cache");
        return new CacheDirective(key(routing, request), read, true);
    }

    static String key(String routing, CompletionRequest request) {
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("routing", routing);
        List<List<String>> messages = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            messages.add(List.of(m.role(), m.content()));
        }
        normalized.put("messages", messages);
        normalized.put("temperature", request.config().temperature());
        normalized.put("max_tokens", request.config().maxTokens());
        normalized.put("top_p", request.config().topP());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(normalized).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
