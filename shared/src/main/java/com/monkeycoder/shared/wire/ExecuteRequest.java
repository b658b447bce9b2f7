package com.monkeycoder.shared.wire;

import java.util.List;

/**
 * The body of {@code POST /v1/execute}, the gateway's native task API.
 * Either {@code prompt} or {@code messages} carries the task; everything else is optional.
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
        List<ChatMessage> messages) {

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
