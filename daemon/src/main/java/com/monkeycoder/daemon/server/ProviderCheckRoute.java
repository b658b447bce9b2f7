package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.catalog.ProviderSpec;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.providers.ProviderAdapter;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.shared.wire.ProviderInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code GET /v1/providers/check[?timeout_seconds=N]}: each configured provider's key tried with its cheapest
 * authenticated call (its model list, which costs no tokens), all at once, each within the timeout (5 seconds,
 * at most 30). Each provider's {@code result} tells apart what a user fixes differently: {@code ok},
 * {@code key_refused} (the key), {@code unreachable} (the base URL or the network), {@code timeout} (a slow or
 * hung provider), {@code error} (another HTTP answer), {@code unchecked} (no model list to try). On a shared gateway
 * only an admin may ask: the calls are made with the operator's keys.
 */
final class ProviderCheckRoute implements ApiHandler {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_TIMEOUT_SECONDS = 30;

    private final ProviderRegistry providers;
    private final boolean shared;

    ProviderCheckRoute(ProviderRegistry providers, boolean shared) {
        this.providers = providers;
        this.shared = shared;
    }

    @Override
    public void handle(HttpCall call) throws Exception {
        if (shared && !call.caller().has(KeyScope.ADMIN)) {
            throw new ApiError(ErrorCode.FORBIDDEN, "only the gateway's operator (a key with the 'admin' scope) may "
                    + "check its provider keys");
        }
        Duration timeout = timeout(call.query("timeout_seconds"));
        List<ProviderInfo> configured = providers.describe().stream()
                .filter(p -> p.configured() && !p.name().equals("demo")).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Object>>> running = new ArrayList<>();
            for (ProviderInfo p : configured) {
                running.add(checks.submit(() -> check(p, timeout)));
            }
            for (Future<Map<String, Object>> r : running) {
                results.add(r.get());
            }
        }
        call.sendJson(200, Map.of("timeout_seconds", timeout.toSeconds(), "providers", results));
    }

    private Map<String, Object> check(ProviderInfo p, Duration timeout) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("key_env", p.keyEnv());
        out.put("base_url", p.baseUrl());
        out.put("base_url_env", providers.catalog().provider(p.name()).map(ProviderSpec::baseUrlEnv).orElse(null));
        long started = System.nanoTime();
        try {
            ProviderAdapter adapter = providers.adapter(p.name()).orElseThrow();
            boolean checked = adapter.checkKey(timeout);
            out.put("result", checked ? "ok" : "unchecked");
            out.put("message", checked ? p.name() + " took the key" : p.name() + " has no model list to try the key on");
        } catch (ProviderException e) {
            out.put("result", result(e));
            out.put("message", e.getMessage());
            if (e.upstreamStatus() != null) {
                out.put("upstream_status", e.upstreamStatus());
            }
        }
        out.put("latency_ms", (System.nanoTime() - started) / 1_000_000);
        return out;
    }

    private static String result(ProviderException e) {
        return switch (e.kind()) {
            case AUTH_REFUSED -> "key_refused";
            case NETWORK -> "unreachable";
            case TIMEOUT -> "timeout";
            // The provider answered, but has no model list there (Perplexity): the key is simply not checked.
            case UPSTREAM_ERROR -> e.upstreamStatus() != null && (e.upstreamStatus() == 404 || e.upstreamStatus() == 405)
                    ? "unchecked" : "error";
            default -> "error";
        };
    }

    private static Duration timeout(String asked) {
        if (asked == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            int seconds = Integer.parseInt(asked.strip());
            if (seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.validation("timeout_seconds", "must be a whole number from 1 to " + MAX_TIMEOUT_SECONDS);
    }
}
