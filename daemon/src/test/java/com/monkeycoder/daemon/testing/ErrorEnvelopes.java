package com.monkeycoder.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Checks the native error envelope of the README ("Errors") in one place:
 * {@code {"error":{"code","message","statusCode","timestamp","details"}}}, all five fields, nothing guessed.
 */
public final class ErrorEnvelopes {

    private ErrorEnvelopes() {
    }

    /** Asserts the status and the whole envelope, and returns its {@code details} for the test's own checks. */
    public static JsonNode assertEnvelope(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode root = TestGateway.json(response);
        assertThat(root.size()).as("only 'error' at the top: %s", root).isEqualTo(1);
        JsonNode error = root.path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").isTextual()).as("message is text: %s", error).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("statusCode").isInt()).as("statusCode is a number: %s", error).isTrue();
        assertThat(error.path("statusCode").asInt()).isEqualTo(status);
        assertThat(error.path("timestamp").isTextual()).as("timestamp is text: %s", error).isTrue();
        assertThatCode(() -> Instant.parse(error.path("timestamp").asText())).doesNotThrowAnyException();
        assertThat(error.path("details").isObject()).as("details is an object: %s", error).isTrue();
        return error.path("details");
    }

    /** The error envelope of an SSE {@code error} event's data. */
    public static JsonNode assertEnvelope(String data, int status, String code) {
        JsonNode error = TestGateway.parse(data).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("statusCode").asInt()).isEqualTo(status);
        assertThatCode(() -> Instant.parse(error.path("timestamp").asText())).doesNotThrowAnyException();
        assertThat(error.path("details").isObject()).isTrue();
        return error.path("details");
    }
}
