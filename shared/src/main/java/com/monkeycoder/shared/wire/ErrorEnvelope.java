package com.monkeycoder.shared.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** The one error shape of the native API: {@code {"error":{"code","message","statusCode","timestamp","details"}}}. */
public record ErrorEnvelope(Body error) {

    /** The inside of the envelope. {@code statusCode} is camelCase by contract. */
    public record Body(
            String code,
            String message,
            @JsonProperty("statusCode") int statusCode,
            String timestamp,
            Map<String, Object> details) {
    }
}
