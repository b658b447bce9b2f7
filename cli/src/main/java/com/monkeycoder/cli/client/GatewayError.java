package com.monkeycoder.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.output.SafeText;

import java.util.ArrayList;
import java.util.List;

/**
 * A gateway's error envelope as the CLI ends with it: the gateway's message and exit code, and what its
 * {@code details} say, for {@code --verbose} (the providers tried, one a line) and for commands that can say more
 * about a field the gateway refused (a persona or model that came from config.json, say).
 */
public final class GatewayError extends ExitException {

    private final int status;
    private final JsonNode details;

    GatewayError(int exitCode, String message, int status, JsonNode details, JsonNode envelope) {
        super(exitCode, message, null, envelope);
        this.status = status;
        this.details = details == null ? MissingNode.getInstance() : details;
    }

    /** The HTTP status the gateway answered with. */
    public int status() {
        return status;
    }

    /** The envelope's {@code details}; a missing node when it had none. */
    public JsonNode gatewayDetails() {
        return details;
    }

    /** The field a 422 names ({@code details.field}), or null. */
    public String field() {
        return details.path("field").asText(null);
    }

    /** Each provider the gateway tried, in order: {@code attempt 1: groq/llama-3.3-70b · upstream error · HTTP 503 · 41 ms}. */
    @Override
    public List<String> details() {
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (JsonNode a : details.path("attempts")) {
            n++;
            String outcome = a.path("outcome").asText("unknown").replace('_', ' ');
            String upstream = a.hasNonNull("upstream_status") ? " · HTTP " + a.path("upstream_status").asInt() : "";
            lines.add(SafeText.of("attempt " + n + ": " + a.path("provider").asText("?") + "/" + a.path("model").asText("?")
                    + " · " + outcome + upstream + " · " + a.path("latency_ms").asLong() + " ms"));
        }
        return lines;
    }
}
