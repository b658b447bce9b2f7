package com.monkeycoder.daemon.errors;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error meant for the client. Handlers throw it; one writer turns it into the error envelope (or the
 * OpenAI shape on the compatible route). Its message is shown as it is, so it never holds a secret.
 */
public final class ApiError extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;
    private final Duration retryAfter;

    public ApiError(ErrorCode code, String message, Map<String, Object> details, Duration retryAfter) {
        super(message, null, false, false);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public ApiError(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(ErrorCode.BAD_REQUEST, message);
    }

    public static ApiError badRequest(String message, Map<String, Object> details) {
        return new ApiError(ErrorCode.BAD_REQUEST, message, details, null);
    }

    /** A field that is missing or wrong; {@code details.field} names it. */
    public static ApiError validation(String field, String problem) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("problem", problem);
        return new ApiError(ErrorCode.VALIDATION_ERROR, field + " " + problem, details, null);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(ErrorCode.UNAUTHORIZED, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(ErrorCode.NOT_FOUND, message);
    }

    public static ApiError payloadTooLarge(long limit) {
        return new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than " + limit + " bytes",
                Map.of("limit_bytes", limit), null);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** How long the client should wait before trying again, when that is known. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
