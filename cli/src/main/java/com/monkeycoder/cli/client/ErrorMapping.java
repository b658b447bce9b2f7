package com.monkeycoder.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.shared.Json;

/** Turns a gateway error (the envelope of the README ("Errors")) into the CLI's one line and exit code. */
public final class ErrorMapping {

    private ErrorMapping() {
    }

    public static GatewayError fromResponse(int status, JsonNode body) {
        JsonNode error = body == null ? null : body.path("error");
        String message = error == null || error.isMissingNode() ? null : error.path("message").asText(null);
        String reason = error == null ? null : error.path("details").path("reason").asText(null);
        if (message == null) {
            message = "the gateway answered HTTP " + status;
        } else {
            message = CliWording.of(message, error.path("details"));
        }
        JsonNode details = error == null ? null : error.path("details");
        if (details != null && details.path("attempts").size() > 0) {
            // The gateway points API clients at its JSON; a person at the terminal gets the attempts from -v.
            message = message.replace("details.attempts lists them", "--verbose lists them");
        }
        // The server's words are printed as they are, but never its control characters.
        return new GatewayError(exitCode(status, reason), SafeText.of(message), status, details,
                nativeError(status, error, message));
    }

    /**
     * The gateway's error in its native shape, for --json: as sent on the native routes; rebuilt from the status
     * on the OpenAI-compatible ones ({@code /v1/models}), whose errors take OpenAI's shape for its SDKs.
     */
    private static ObjectNode nativeError(int status, JsonNode error, String message) {
        if (error != null && error.isObject() && error.has("statusCode")) {
            return (ObjectNode) error;
        }
        ObjectNode rebuilt = Json.mapper().createObjectNode();
        rebuilt.put("code", codeOf(status));
        rebuilt.put("message", message);
        rebuilt.put("statusCode", status);
        rebuilt.putObject("details");
        return rebuilt;
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 402 -> "PAYMENT_REQUIRED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 422 -> "VALIDATION_ERROR";
            case 429 -> "RATE_LIMIT_EXCEEDED";
            case 502 -> "LLM_ERROR";
            case 503 -> "SERVICE_UNAVAILABLE";
            case 504 -> "GATEWAY_TIMEOUT";
            default -> "INTERNAL_ERROR";
        };
    }

    static int exitCode(int status, String reason) {
        return switch (status) {
            case 400, 404, 405, 413, 422 -> ExitCodes.USAGE;
            case 401, 403 -> ExitCodes.CONFIG_OR_AUTH;
            case 402, 429 -> ExitCodes.LIMITS;
            // A provider refusing its key is a configuration problem (exit 3, as a refused key of ours is), not an outage.
            case 502 -> "provider_key_refused".equals(reason) ? ExitCodes.CONFIG_OR_AUTH : ExitCodes.PROVIDER_OR_NETWORK;
            case 504 -> ExitCodes.PROVIDER_OR_NETWORK;
            // The gateway's 503 reasons for "nothing to route to" or "no mail": fixed by configuration, not by retrying.
            case 503 -> "no_provider_configured".equals(reason) || "provider_not_configured".equals(reason)
                    || "mail_not_configured".equals(reason) ? ExitCodes.CONFIG_OR_AUTH : ExitCodes.PROVIDER_OR_NETWORK;
            default -> ExitCodes.UNEXPECTED;
        };
    }
}
