package com.monkeycoder.daemon.dialects;

import com.monkeycoder.daemon.conversation.ConversationRequest;

import java.util.List;

/**
 * A parsed request: the conversation, how to route it, whether to stream, and what the codec keeps for encoding
 * its answer ({@code options}, the codec's own record: {@code include_usage}, the names of freeform tools...).
 *
 * @param model              the model as the client named it ({@code provider/model}, an id or alias), or null
 * @param preferredProviders providers to try in order when no model is named
 * @param modelClass         the routing table's class when no model is named (from persona or task type)
 * @param useCache           the client's explicit cache wish, or null
 * @param sessionId          the stored conversation the request continues (the native API's {@code session_id},
 *                           checked well-formed), or null
 */
public record IngressRequest(ConversationRequest conversation, String model, List<String> preferredProviders,
                             String modelClass, boolean stream, Boolean useCache, Object options, String sessionId) {

    public IngressRequest {
        preferredProviders = preferredProviders == null ? List.of() : List.copyOf(preferredProviders);
    }

    /** A request outside any stored conversation (every dialect but the native one). */
    public IngressRequest(ConversationRequest conversation, String model, List<String> preferredProviders,
                          String modelClass, boolean stream, Boolean useCache, Object options) {
        this(conversation, model, preferredProviders, modelClass, stream, useCache, options, null);
    }

    /** What decides the model, as the cache key sees it. */
    public String routingKey() {
        return model != null ? "model:" + model : "providers:" + preferredProviders + ";class:" + modelClass;
    }
}
