package com.monkeycoder.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseEvent;
import com.monkeycoder.shared.wire.ExecuteRequest;
import com.monkeycoder.shared.wire.ExecuteResponse;

import java.io.IOException;

/** One {@code POST /v1/execute}: the whole answer at once, or streamed to a listener as it arrives. */
public final class Answers {

    /** Hears a streamed answer as it arrives. */
    @FunctionalInterface
    public interface Listener {
        void onText(String text);
    }

    /**
     * A finished answer.
     *
     * @param content  the whole text
     * @param response the gateway's final response (for a stream: its {@code done} event, without the content)
     * @param json     the same as the gateway sent it, for {@code --json}
     */
    public record Answer(String content, ExecuteResponse response, JsonNode json) {
    }

    private Answers() {
    }

    public static Answer whole(GatewayClient client, ExecuteRequest request) {
        JsonNode json = client.post("/v1/execute", request);
        ExecuteResponse response = Json.mapper().convertValue(json, ExecuteResponse.class);
        return new Answer(json.path("content").asText(""), response, json);
    }

    /**
     * Streams the answer to {@code listener}; gateway errors, also those that arrive mid-stream, are thrown as
     * {@link ExitException}s with their exit codes.
     */
    public static Answer stream(GatewayClient client, ExecuteRequest request, Listener listener,
                                Cancellation cancellation) {
        StringBuilder content = new StringBuilder();
        JsonNode[] done = new JsonNode[1];
        client.stream("/v1/execute", request, event -> onEvent(event, content, done, listener), cancellation);
        if (done[0] == null) {
            throw new ExitException(ExitCodes.PROVIDER_OR_NETWORK, "the answer stream ended before it was complete");
        }
        ExecuteResponse response = Json.mapper().convertValue(done[0], ExecuteResponse.class);
        return new Answer(content.toString(), response, done[0]);
    }

    private static void onEvent(SseEvent event, StringBuilder content, JsonNode[] done, Listener listener)
            throws IOException {
        switch (event.event()) {
            case "delta" -> {
                String text = Json.mapper().readTree(event.data()).path("content").asText("");
                if (!text.isEmpty()) {
                    content.append(text);
                    listener.onText(text);
                }
            }
            case "done" -> done[0] = Json.mapper().readTree(event.data());
            case "error" -> {
                JsonNode body = Json.mapper().readTree(event.data());
                throw ErrorMapping.fromResponse(body.path("error").path("statusCode").asInt(502), body);
            }
            default -> {
                // "start" and events newer than this CLI carry nothing to print
            }
        }
    }
}
