package com.monkeycoder.daemon.dialects;

import com.monkeycoder.daemon.errors.ApiError;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ErrorEnvelope;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the body of an error in each {@link ErrorStyle}. */
public final class ErrorBodies {

    private final Clock clock;

    public ErrorBodies(Clock clock) {
        this.clock = clock;
    }

    public Object body(ApiError error, ErrorStyle style) {
        return switch (style) {
            case NATIVE -> new ErrorEnvelope(new ErrorEnvelope.Body(error.code().name(), error.getMessage(),
                    error.code().status(), Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString(), error.details()));
            case OPENAI -> openAi(error);
            case ANTHROPIC -> anthropic(error);
        };
    }

    /** Anthropic's shape: {@code {"type":"error","error":{"type","message"}}}. */
    private static Map<String, Object> anthropic(ApiError error) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("type", switch (error.code()) {
            case UNAUTHORIZED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case PAYLOAD_TOO_LARGE -> "request_too_large";
            case RATE_LIMIT_EXCEEDED -> "rate_limit_error";
            case PAYMENT_REQUIRED -> "billing_error";
            case BAD_REQUEST, METHOD_NOT_ALLOWED, VALIDATION_ERROR -> "invalid_request_error";
            case SERVICE_UNAVAILABLE -> "overloaded_error";
            default -> "api_error";
        });
        inner.put("message", error.getMessage());
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("type", "error");
        outer.put("error", inner);
        return outer;
    }

    /**
     * OpenAI's shape: {@code {"error":{"message","type","param","code"}}}, with {@code "param": null} written out as
     * OpenAI writes it. A tree, not a map: the shared mapper leaves null map values out.
     */
    private static ObjectNode openAi(ApiError error) {
        ObjectNode outer = Json.mapper().createObjectNode();
        ObjectNode inner = outer.putObject("error");
        inner.put("message", error.getMessage());
        inner.put("type", switch (error.code()) {
            case UNAUTHORIZED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case RATE_LIMIT_EXCEEDED -> "rate_limit_error";
            case PAYMENT_REQUIRED -> "insufficient_quota";
            case BAD_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE, VALIDATION_ERROR -> "invalid_request_error";
            default -> "api_error";
        });
        Object field = error.details().get("field");
        if (field == null) {
            inner.putNull("param");
        } else {
            inner.put("param", field.toString());
        }
        inner.put("code", error.code().name().toLowerCase());
        return outer;
    }
}
