package com.monkeycoder.daemon.cache;

import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.PartsJson;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.shared.Json;

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
 * requested model or routing choice, the system prompt, the messages with all their parts (images, tool calls
 * and results), the tools offered and how, the output format, and the sampling parameters.
 */
public final class CacheRules {

    private CacheRules() {
    }

    /**
     * @param useCache     the request's {@code use_cache}, or null
     * @param cacheControl the request's {@code Cache-Control} header, or null
     * @param routing      what decides the model: the named model, or the preferred providers and model class
     */
    public static CacheDirective directive(Boolean useCache, String cacheControl, String routing, ConversationRequest request) {
        String control = cacheControl == null ? "" : cacheControl.toLowerCase(Locale.ROOT);
        if (Boolean.FALSE.equals(useCache) || control.contains("no-store")) {
            return CacheDirective.NONE;
        }
        Double temperature = request.sampling().temperature();
        boolean wanted = Boolean.TRUE.equals(useCache) || control.contains("max-age")
                || (temperature != null && temperature == 0.0);
        if (!wanted) {
            return CacheDirective.NONE;
        }
        boolean read = !control.contains("no-cache");
        return new CacheDirective(key(routing, request), read, true);
    }

    static String key(String routing, ConversationRequest request) {
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("routing", routing);
        normalized.put("system", PartsJson.write(request.system()));
        List<Object> messages = new ArrayList<>();
        for (Message m : request.messages()) {
            messages.add(List.of(m.role().name(), PartsJson.write(m.parts())));
        }
        normalized.put("messages", messages);
        List<Object> tools = new ArrayList<>();
        for (Tool t : request.tools()) {
            tools.add(switch (t) {
                case Tool.Function f -> List.of(f.name(), String.valueOf(f.description()), String.valueOf(f.parameters()),
                        String.valueOf(f.strict()), f.freeform());
                case Tool.Hosted h -> List.of(h.type(), h.raw().toString());
            });
        }
        normalized.put("tools", tools);
        normalized.put("tool_choice", String.valueOf(request.toolChoice()));
        normalized.put("parallel_tool_calls", request.parallelToolCalls());
        normalized.put("response_format", String.valueOf(request.responseFormat()));
        normalized.put("stop", request.stop());
        normalized.put("sampling", String.valueOf(request.sampling()));
        normalized.put("max_tokens", request.maxOutputTokens());
        normalized.put("reasoning", String.valueOf(request.reasoning()));
        normalized.put("passthrough", request.passthrough().fields() == null ? null : request.passthrough().fields().toString());
        normalized.put("passthrough_headers", new java.util.TreeMap<>(request.passthrough().headers()).toString());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(normalized).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
