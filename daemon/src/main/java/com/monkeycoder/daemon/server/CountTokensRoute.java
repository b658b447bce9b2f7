package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.dialects.IngressRequest;
import com.monkeycoder.daemon.dialects.anthropic.MessagesDialect;
import com.monkeycoder.daemon.providers.TokenEstimator;

import java.util.Map;

/**
 * {@code POST /v1/messages/count_tokens}: the input tokens of a Messages request, estimated by the gateway (about
 * four characters a token, an image as the most a provider bills for one); the header
 * {@code X-Monkey-Estimate: true} says so. Nothing reaches a provider and nothing is billed.
 */
final class CountTokensRoute implements ApiHandler {

    private final MessagesDialect dialect;

    CountTokensRoute(MessagesDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public void handle(HttpCall call) {
        IngressRequest request = dialect.parse(call.bodyTree(), call::header);
        call.setHeader("X-Monkey-Estimate", "true");
        call.sendJson(200, Map.of("input_tokens", TokenEstimator.estimate(request.conversation())));
    }
}
