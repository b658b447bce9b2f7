package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Browsers on the origins in {@code cors_origins} may call the API: their preflight is answered, their answers
 * readable; every other origin gets no CORS header and a refused preflight; a wildcard is not a setting.
 */
class CorsTest {

    private static final String APP = "https://app.example.com";
    private static final String EXECUTE = "{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\"}";

    @TempDir
    Path home;

    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private HttpResponse<String> preflight(String origin) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build());
    }

    @Test
    void anAllowedOriginsPreflightIsAnsweredAndItsAnswersAreReadable() {
        gateway = TestGateway.start(home, Map.of("MONKEY_CODER_CORS_ORIGINS", APP + ", https://other.example.com:8443"));

        HttpResponse<String> pre = preflight(APP);
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(pre.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization", "Content-Type");
        assertThat(pre.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        HttpResponse<String> answer = gateway.post("/v1/execute", EXECUTE,
                Map.of("Authorization", "Bearer " + TestGateway.KEY, "Origin", APP));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(answer.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("X-Request-Id");
        assertThat(answer.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
        // Still a key or nothing: an allowed origin is not an identity.
        assertThat(gateway.post("/v1/execute", EXECUTE, Map.of("Origin", APP)).statusCode()).isEqualTo(401);
    }

    @Test
    void anotherOriginGetsNoCorsHeaderAndItsPreflightIsRefused() {
        gateway = TestGateway.start(home, Map.of("MONKEY_CODER_CORS_ORIGINS", APP));

        HttpResponse<String> pre = preflight("https://evil.example");
        assertThat(pre.statusCode()).isEqualTo(403);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> answer = gateway.post("/v1/execute", EXECUTE,
                Map.of("Authorization", "Bearer " + TestGateway.KEY, "Origin", "https://app.example.com.evil.example"));
        assertThat(answer.statusCode()).isEqualTo(200); // the server answers; the browser keeps it from the page
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void withoutTheSettingNoOriginIsAllowed() {
        gateway = TestGateway.start(home, Map.of());

        HttpResponse<String> pre = preflight(APP);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(pre.statusCode()).isNotEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "https://*.example.com", "app.example.com", "https://app.example.com/path", "null"})
    void aWildcardOrSomethingElseThanAnOriginIsRefusedAtStart(String value) {
        assertThatThrownBy(() -> GatewayConfig.resolve(Map.of("MONKEY_CODER_CORS_ORIGINS", value,
                "MONKEY_CODER_HOME", home.toString()), null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cors_origins");
    }
}
