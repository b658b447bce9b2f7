package com.monkeycoder.daemon.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A tool the model may call. */
public sealed interface Tool {

    String name();

    /**
     * A function with JSON Schema parameters, which every tool-capable provider takes. {@code freeform} marks
     * OpenAI's custom tools, whose input is raw text: other providers get them as a function with one string
     * parameter {@code input}, and the codec unwraps the call again.
     */
    record Function(String name, String description, JsonNode parameters, Boolean strict, boolean freeform,
                    JsonNode cacheControl) implements Tool {
    }

    /**
     * A tool the provider runs itself or that only one API knows (OpenAI's {@code web_search}, Anthropic's server
     * tools). It is forwarded untouched to a provider of {@code family}; elsewhere it is dropped and named when
     * {@code optional}, else the request is refused with 422.
     */
    record Hosted(String name, String type, WireFamily family, ObjectNode raw, boolean optional) implements Tool {
    }
}
