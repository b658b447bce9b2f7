package com.monkeycoder.shared.wire;

import java.util.List;

/**
 * The body of {@code POST /v1/execute}, the gateway's native task API.
 * Either {@code prompt} or {@code messages} carries the task; everything else is optional. {@code sessionId} names
 * the stored conversation the exchange continues (and is appended to): {@code ses_} and 8 to 64 of
 * {@code [A-Za-z0-9_-]}.
 */
public record ExecuteRequest(
        String taskType,
        String prompt,
        String persona,
        List<String> preferredProviders,
        String model,
        Boolean stream,
        Boolean useCache,
        ModelConfig modelConfig,
        List<ChatMessage> messages,
        String sessionId) {

    /** A request outside any stored conversation. */
    public ExecuteRequest(String taskType, String prompt, String persona, List<String> preferredProviders, String model,
                          Boolean stream, Boolean useCache, ModelConfig modelConfig, List<ChatMessage> messages) {
        this(taskType, prompt, persona, preferredProviders, model, stream, useCache, modelConfig, messages, null);
    }

    /** The same request, continuing (or starting) the stored conversation {@code id}. */
    public ExecuteRequest inSession(String id) {
        return new ExecuteRequest(taskType, prompt, persona, preferredProviders, model, stream, useCache, modelConfig,
                messages, id);
    }

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
