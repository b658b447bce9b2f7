package com.monkeycoder.daemon.providers;

import com.monkeycoder.shared.wire.ChatMessage;
import com.monkeycoder.shared.wire.ModelConfig;

import java.util.List;

/** A request as every adapter sees it: persona and task already applied, the provider's own model id. */
public record CompletionRequest(String model, List<ChatMessage> messages, ModelConfig config) {

    public CompletionRequest {
        messages = List.copyOf(messages);
        config = config == null ? ModelConfig.DEFAULTS : config;
    }

    /** The same request for another model (when the router fails over). */
    public CompletionRequest withModel(String otherModel) {
        return new CompletionRequest(otherModel, messages, config);
    }
}
