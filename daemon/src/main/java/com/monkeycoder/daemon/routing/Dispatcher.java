package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.providers.Completion;
import com.monkeycoder.daemon.providers.CompletionRequest;
import com.monkeycoder.daemon.providers.EventStream;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.providers.StreamEvent;
import com.monkeycoder.daemon.providers.TokenCount;
import com.monkeycoder.daemon.providers.TokenEstimator;
import com.monkeycoder.daemon.server.ApiError;
import com.monkeycoder.daemon.server.ErrorCode;
import com.monkeycoder.shared.wire.Attempt;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a routed request to its provider and records it in the ledger before the answer is complete:
 * the last byte a client sees (the {@code done} event of a stream included) follows the commit of its row.
 * Every ingress route (native, OpenAI, Anthropic) goes through here, so they all bill alike.
 */
public final class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final Ledger ledger;
    private final ProviderRegistry providers;
    private final Clock clock;

    public Dispatcher(Ledger ledger, ProviderRegistry providers, Clock clock) {
        this.ledger = ledger;
        this.providers = providers;
        this.clock = clock;
    }

    /** One whole answer. */
    public Outcome complete(RequestContext ctx, Route route, CompletionRequest request) {
        long started = System.nanoTime();
        Completion completion;
        try {
            completion = route.adapter().complete(request);
        } catch (ProviderException e) {
            throw failed(ctx, route, request, "", started, e);
        }
        return succeed(ctx, route, request, completion.content(), completion.finishReason(), completion.usage(), started);
    }

    /** A streamed answer: text goes to the observer as it arrives. */
    public Outcome stream(RequestContext ctx, Route route, CompletionRequest request, StreamObserver observer)
            throws StreamBroken, ClientGone {
        long started = System.nanoTime();
        EventStream stream;
        try {
            stream = route.adapter().stream(request);
        } catch (ProviderException e) {
            throw failed(ctx, route, request, "", started, e);
        }
        StringBuilder text = new StringBuilder();
        TokenCount usage = null;
        String finish = null;
        try (stream) {
            observer.onStart();
            for (Optional<StreamEvent> next = stream.next(); next.isPresent(); next = stream.next()) {
                switch (next.get()) {
                    case StreamEvent.TextDelta delta -> {
                        text.append(delta.text());
                        observer.onText(delta.text());
                    }
                    case StreamEvent.UsageReported reported -> usage = reported.usage();
                    case StreamEvent.Finished finished -> finish = finished.reason();
                }
            }
        } catch (ProviderException e) {
            throw new StreamBroken(failed(ctx, route, request, text.toString(), started, e));
        } catch (IOException clientGone) {
            recordQuietly(row(ctx, route, request, text.toString(), usage, started, "client_closed", null, null));
            throw new ClientGone(clientGone);
        }
        try {
            return succeed(ctx, route, request, text.toString(), finish, usage, started);
        } catch (ApiError ledgerDown) {
            throw new StreamBroken(ledgerDown);
        }
    }

    private Outcome succeed(RequestContext ctx, Route route, CompletionRequest request, String content, String finish,
                            TokenCount usage, long started) {
        LedgerRow row = row(ctx, route, request, content, usage, started, "ok", null, null);
        try {
            ledger.record(row);
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + ctx.requestId() + ": " + e.getMessage());
            throw new ApiError(ErrorCode.INTERNAL_ERROR,
                    "the usage ledger could not record this request, so its answer is withheld; try again");
        }
        providers.recordOutcome(route.provider(), null);
        Attempt attempt = new Attempt(route.provider(), route.model().id(), "ok", row.latencyMs(), null);
        TokenCount tokens = new TokenCount(row.promptTokens(), row.completionTokens(), row.cacheReadTokens(),
                row.cacheWriteTokens());
        return new Outcome(route, content, finish == null ? "stop" : finish, tokens, row.costMicros(),
                row.estimated(), row.latencyMs(), List.of(attempt));
    }

    private ApiError failed(RequestContext ctx, Route route, CompletionRequest request, String partial, long started,
                            ProviderException e) {
        boolean blocked = e.kind() == ProviderException.Kind.CONTENT_BLOCKED;
        if (!blocked) {
            // A blocked answer says nothing about the provider's health; anything else does.
            providers.recordOutcome(route.provider(), e.getMessage());
        }
        ErrorCode code = e.kind() == ProviderException.Kind.TIMEOUT ? ErrorCode.GATEWAY_TIMEOUT : ErrorCode.LLM_ERROR;
        LedgerRow row = row(ctx, route, request, partial, null, started, "error", code.name(), e.upstreamStatus());
        recordQuietly(row);
        Attempt attempt = new Attempt(route.provider(), route.model().id(), e.kind().name().toLowerCase(),
                row.latencyMs(), e.upstreamStatus());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", route.provider());
        details.put("model", route.model().id());
        if (e.upstreamStatus() != null) {
            details.put("upstream_status", e.upstreamStatus());
        }
        if (blocked) {
            details.put("reason", "content_blocked");
        }
        details.put("attempts", List.of(attempt));
        return new ApiError(code, e.getMessage(), details, e.retryAfter());
    }

    private void recordQuietly(LedgerRow row) {
        try {
            ledger.record(row);
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + row.requestId() + ": " + e.getMessage());
        }
    }

    private LedgerRow row(RequestContext ctx, Route route, CompletionRequest request, String content, TokenCount usage,
                          long started, String status, String errorCode, Integer upstreamStatus) {
        boolean estimated = usage == null;
        TokenCount tokens = usage;
        if (tokens == null) {
            if (content.isEmpty() && !"ok".equals(status)) {
                // Refused before any answer: providers bill nothing for that.
                tokens = new TokenCount(0, 0);
                estimated = false;
            } else {
                tokens = new TokenCount(TokenEstimator.estimate(request.messages()), TokenEstimator.estimate(content));
            }
        }
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        return new LedgerRow(ctx.requestId(), clock.millis(), ctx.caller().userId(), ctx.caller().keyId(),
                ctx.routeName(), route.provider(), route.model().id(), tokens.promptTokens(), tokens.completionTokens(),
                tokens.cacheReadTokens(), tokens.cacheWriteTokens(), route.model().costMicros(tokens), false, estimated,
                latencyMs, status, errorCode, upstreamStatus);
    }
}
