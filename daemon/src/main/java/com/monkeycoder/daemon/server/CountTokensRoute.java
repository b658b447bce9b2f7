package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.dialects.IngressRequest;
import com.monkeycoder.daemon.dialects.anthropic.MessagesDialect;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.TokenEstimator;
import com.monkeycoder.daemon.routing.Route;
import com.monkeycoder.daemon.routing.RouteResolver;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code POST /v1/messages/count_tokens}: the input tokens of a Messages request, counted by the provider the
 * request would go to when it offers counting (Anthropic), else estimated by the gateway (about four characters a
 * token, an image as the most a provider bills for one). The header {@code X-Monkey-Estimate} says which
 * ({@code false} or {@code true}). Nothing is billed and no ledger row is written.
 */
final class CountTokensRoute implements ApiHandler {

    private static final System.Logger LOG = System.getLogger(CountTokensRoute.class.getName());

    private final MessagesDialect dialect;
    private final RouteResolver resolver;

    CountTokensRoute(MessagesDialect dialect, RouteResolver resolver) {
        this.dialect = dialect;
        this.resolver = resolver;
    }

    @Override
    public void handle(HttpCall call) {
        IngressRequest request = dialect.parse(call.bodyTree(), call::header);
        // A provider's count is a call on the operator's provider account, which a test key never reaches.
        List<Route> candidates = call.caller().test() ? IngressRoute.demoOnly(resolver, request, request.conversation())
                : resolver.candidates(request.model(), request.preferredProviders(), request.modelClass(),
                request.conversation());
        Route first = candidates.getFirst();
        OptionalLong counted = OptionalLong.empty();
        try {
            counted = first.adapter().countTokens(request.conversation().withModel(first.model().id()));
        } catch (ProviderException e) {
            LOG.log(System.Logger.Level.INFO, "request " + call.requestId() + ": " + first.provider()
                    + " could not count tokens, estimating instead: " + e.getMessage());
        }
        call.setHeader("X-Monkey-Estimate", Boolean.toString(counted.isEmpty()));
        long tokens = counted.isPresent() ? counted.getAsLong() : TokenEstimator.estimate(request.conversation());
        call.sendJson(200, Map.of("input_tokens", tokens));
    }
}
