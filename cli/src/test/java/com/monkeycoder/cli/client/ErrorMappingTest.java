package com.monkeycoder.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.shared.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's HTTP status (and 503 reason) to exit code table of the README. */
class ErrorMappingTest {

    @ParameterizedTest(name = "HTTP {0} (reason {1}) exits {2}")
    @CsvSource(nullValues = "-", value = {
            "400, -,                         2",
            "404, -,                         2",
            "413, -,                         2",
            "422, -,                         2",
            "401, -,                         3",
            "403, -,                         3",
            "402, -,                         4",
            "429, -,                         4",
            "502, -,                         5",
            "502, provider_key_refused,      3",
            "504, -,                         5",
            "503, no_provider_configured,    3",
            "503, provider_not_configured,   3",
            "503, draining,                  5",
            "503, -,                         5",
            "500, -,                         1",
    })
    void statusMapsToTheDocumentedExitCode(int status, String reason, int exitCode) {
        assertThat(ErrorMapping.exitCode(status, reason)).isEqualTo(exitCode);
    }

    @Test
    void envelopeMessageBecomesTheLineAndItsReasonChoosesTheCode() throws Exception {
        JsonNode body = Json.mapper().readTree("""
                {"error":{"code":"SERVICE_UNAVAILABLE","message":"no AI provider is configured: set one of OPENAI_API_KEY",
                 "statusCode":503,"timestamp":"2026-01-15T10:30:00Z","details":{"reason":"no_provider_configured"}}}""");

        ExitException e = ErrorMapping.fromResponse(503, body);

        assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(e.getMessage()).isEqualTo("no AI provider is configured: set one of OPENAI_API_KEY");
    }

    @Test
    void bodyThatIsNotTheEnvelopeStillGivesALineWithTheStatus() {
        ExitException e = ErrorMapping.fromResponse(502, null);

        assertThat(e.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(e.getMessage()).isEqualTo("the gateway answered HTTP 502");
    }

    @Test
    void aCreditRefusalAdvisesTheFlagNotTheRequestField() throws Exception {
        JsonNode body = Json.mapper().readTree("""
                {"error":{"code":"PAYMENT_REQUIRED","message":"this request could cost up to $0.0400 and your balance is $0.0100; add credits, or lower max_tokens",
                 "statusCode":402,"timestamp":"2026-01-15T10:30:00Z","details":{"reason":"credits"}}}""");

        ExitException e = ErrorMapping.fromResponse(402, body);

        assertThat(e.exitCode()).isEqualTo(ExitCodes.LIMITS);
        assertThat(e.getMessage()).endsWith("add credits, or lower --max-tokens");
    }
}
