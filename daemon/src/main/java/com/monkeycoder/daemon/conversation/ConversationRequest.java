package com.monkeycoder.daemon.conversation;

import java.util.List;
import java.util.Map;

/**
 * A request in the gateway's own terms, whatever dialect it came in and whichever provider answers it. Each
 * ingress codec parses into it; each provider adapter writes it in its wire format (docs/conversation.md).
 *
 * @param model             the provider's own model id (set by the router for each candidate)
 * @param system            leading system instructions, as parts (Anthropic's {@code cache_control} kept)
 * @param messages          the turns, in order
 * @param tools             tools offered to the model; empty for none
 * @param toolChoice        null when the client did not say (the provider's default, auto)
 * @param parallelToolCalls null when the client did not say
 * @param maxOutputTokens   the cap the gateway reserved credits for and sends upstream; null for the provider's default
 * @param metadata          {@code user} and such, forwarded where a provider takes them
 */
public record ConversationRequest(String model, List<Part> system, List<Message> messages, List<Tool> tools,
                                  ToolChoice toolChoice, Boolean parallelToolCalls, ResponseFormat responseFormat,
                                  List<String> stop, Sampling sampling, Integer maxOutputTokens, Reasoning reasoning,
                                  Map<String, String> metadata, Passthrough passthrough) {

    public ConversationRequest {
        system = system == null ? List.of() : List.copyOf(system);
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        stop = stop == null ? List.of() : List.copyOf(stop);
        sampling = sampling == null ? Sampling.DEFAULTS : sampling;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        passthrough = passthrough == null ? Passthrough.NONE : passthrough;
    }

    /** A plain text conversation, as the native API and older callers build it. */
    public static ConversationRequest of(String model, List<Message> messages, Sampling sampling, Integer maxOutputTokens) {
        return new ConversationRequest(model, List.of(), messages, List.of(), null, null, null, List.of(), sampling,
                maxOutputTokens, null, Map.of(), Passthrough.NONE);
    }

    /** The same request for another model (when the router fails over). */
    public ConversationRequest withModel(String otherModel) {
        return new ConversationRequest(otherModel, system, messages, tools, toolChoice, parallelToolCalls,
                responseFormat, stop, sampling, maxOutputTokens, reasoning, metadata, passthrough);
    }

    /** The same request with another output cap. */
    public ConversationRequest withMaxOutputTokens(Integer cap) {
        return new ConversationRequest(model, system, messages, tools, toolChoice, parallelToolCalls,
                responseFormat, stop, sampling, cap, reasoning, metadata, passthrough);
    }

    /** The same request with other turns (an adapter that rewrites parts for its provider). */
    public ConversationRequest withMessages(List<Message> otherMessages) {
        return new ConversationRequest(model, system, otherMessages, tools, toolChoice, parallelToolCalls,
                responseFormat, stop, sampling, maxOutputTokens, reasoning, metadata, passthrough);
    }

    /** The system parts' text joined by blank lines, for providers that take one system string. */
    public String systemText() {
        StringBuilder out = new StringBuilder();
        for (Part p : system) {
            if (p instanceof Part.Text t) {
                out.append(out.isEmpty() ? "" : "\n\n").append(t.text());
            }
        }
        return out.toString();
    }

    /** Every part of the request, system included, for capability checks and estimates. */
    public java.util.stream.Stream<Part> allParts() {
        return java.util.stream.Stream.concat(system.stream(),
                messages.stream().flatMap(m -> m.parts().stream()).flatMap(ConversationRequest::withNested));
    }

    private static java.util.stream.Stream<Part> withNested(Part p) {
        return p instanceof Part.ToolResult r
                ? java.util.stream.Stream.concat(java.util.stream.Stream.of(p), r.content().stream()) : java.util.stream.Stream.of(p);
    }
}
