package com.monkeycoder.shared.wire;

import java.util.List;

/** The answer of {@code POST /v1/execute}; with streaming, the final {@code done} event carries it without content. */
public record ExecuteResponse(
        String content,
        String providerUsed,
        String modelUsed,
        TokenUsage usage,
        boolean cached,
        List<Attempt> attempts,
        String requestId,
        String finishReason) {
}
