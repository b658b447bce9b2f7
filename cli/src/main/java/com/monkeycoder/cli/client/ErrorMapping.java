package com.monkeycoder.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.output.SafeText;

/** Turns a gateway error (the envelope of the README ("Errors")) into the CLI's one line and exit code. */
public final class ErrorMapping {

    private ErrorMapping() {
    }

    public static ExitException fromResponse(int status, JsonNode body) {
        JsonNode error = body == null ? null : body.path("error");
        String message = error == null || error.isMissingNode() ? null : error.path("message").asText(null);
        String reason = error == null ? null : error.path("details").path("reason").asText(null);
        if (message == null) {
            message = "the gateway answered HTTP " + status;
        }
        // The server's words are printed as they are, but never its control characters.
        return new ExitException(exitCode(status, reason), SafeText.of(message));
    }

    static int exitCode(int status, String reason) {
        return switch (status) {
            case 400, 404, 405, 413, 422 -> ExitCodes.USAGE;
            case 401, 403 -> ExitCodes.CONFIG_OR_AUTH;
            case 402, 429 -> ExitCodes.LIMITS;
            // A provider refusing its key is a configuration problem (exit 3, as a refused key of ours is), not an outage.
            case 502 -> "provider_key_refused".equals(reason) ? ExitCodes.CONFIG_OR_AUTH : ExitCodes.PROVIDER_OR_NETWORK;
            case 504 -> ExitCodes.PROVIDER_OR_NETWORK;
            // The gateway's 503 reasons for "nothing to route to": fixed by configuration, not by retrying.
            case 503 -> "no_provider_configured".equals(reason) || "provider_not_configured".equals(reason)
                    ? ExitCodes.CONFIG_OR_AUTH : ExitCodes.PROVIDER_OR_NETWORK;
            default -> ExitCodes.UNEXPECTED;
        };
    }
}
