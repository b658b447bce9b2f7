package com.monkeycoder.daemon.dialects;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.routing.Outcome;

/**
 * One API a client may speak (OpenAI Chat Completions, OpenAI Responses, Anthropic Messages, the native API).
 * A codec does only three things: parse the dialect into the canonical request (validation errors name the
 * dialect's own fields), encode a whole answer, and encode a stream. Everything else (auth, limits, credits,
 * routing, dispatch, ledger, metrics) is the one ingress pipeline every dialect shares (docs/conversation.md).
 */
public interface Dialect {

    /** The route's name in the ledger and metrics: {@code chat_completions}, {@code responses}, ... */
    String routeName();

    /** The error shape its clients' SDKs expect. */
    ErrorStyle errorStyle();

    /** The request, in canonical terms; throws {@link com.monkeycoder.daemon.errors.ApiError} naming a wrong field. */
    IngressRequest parse(JsonNode body, Headers headers);

    /** A whole answer's JSON body. */
    Object encode(IngressRequest request, Outcome outcome, ResponseIds ids);

    /** An encoder for one streamed answer, writing to {@code sink}. */
    StreamEncoder streamEncoder(IngressRequest request, ResponseIds ids, SseSink sink);

    /** The request's headers, by case-insensitive name; null when absent. */
    @FunctionalInterface
    interface Headers {
        String get(String name);
    }
}
