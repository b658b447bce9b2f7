package com.monkeycoder.shared.wire;

import java.util.List;

/**
 * The answer of {@code POST /v1/execute}; with streaming, the final {@code done} event carries it without content.
 * {@code parts} lists the answer's parts (text, thinking, tool calls) when it has more than text, else null.
 * {@code sessionId} is the stored conversation the request named, else null.
 */
public record ExecuteResponse(
        String content,
        String providerUsed,
        String modelUsed,
        TokenUsage usage,
        boolean cached,
        List<Attempt> attempts,
        String requestId,
        String finishReason,
        com.fasterxml.jackson.databind.JsonNode parts,
        String sessionId) {

    /** An answer outside any stored conversation. */
    public ExecuteResponse(String content, String providerUsed, String modelUsed, TokenUsage usage, boolean cached,
                           List<Attempt> attempts, String requestId, String finishReason,
                           com.fasterxml.jackson.databind.JsonNode parts) {
        this(content, providerUsed, modelUsed, usage, cached, attempts, requestId, finishReason, parts, null);
    }

    /** A text answer (the native API before tool calls; also what older gateways send). */
    public ExecuteResponse(String content, String providerUsed, String modelUsed, TokenUsage usage, boolean cached,
                           List<Attempt> attempts, String requestId, String finishReason) {
        this(content, providerUsed, modelUsed, usage, cached, attempts, requestId, finishReason, null, null);
    }
}
