package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.catalog.ProviderSpec;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.media.ImageFetcher;
import com.monkeycoder.daemon.providers.anthropic.AnthropicAdapter;
import com.monkeycoder.daemon.providers.demo.DemoAdapter;
import com.monkeycoder.daemon.providers.gemini.GeminiAdapter;
import com.monkeycoder.daemon.providers.openai.OpenAiCompatibleAdapter;
import com.monkeycoder.shared.wire.ProviderInfo;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers this gateway can use now: one adapter per provider whose key is set (Ollama: whose server
 * is set or answers on its default port). Built once at start from the environment and the catalog.
 */
public final class ProviderRegistry {

    private final ModelCatalog catalog;
    private final CallDeadline timeouts;
    private final Map<String, ProviderAdapter> adapters = new LinkedHashMap<>();
    private final Map<String, String> baseUrls = new LinkedHashMap<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();

    public ProviderRegistry(ModelCatalog catalog, GatewayConfig config, OkHttpClient http) {
        this(catalog, config, http, null);
    }

    /**
     * @param timeouts where the shared client's read timeout and deadline are kept (it was built with OkHttp's off),
     *                 so a provider with a read timeout of its own gets it there; null: OkHttp's own timeouts
     */
    public ProviderRegistry(ModelCatalog catalog, GatewayConfig config, OkHttpClient http, CallDeadline timeouts) {
        this.catalog = catalog;
        this.timeouts = timeouts;
        // one fetcher (and its short cache) for the adapters that take images inline only
        ImageFetcher images = new ImageFetcher(http);
        for (ProviderSpec spec : catalog.providers()) {
            switch (spec.wireFormat()) {
                case "demo" -> adapters.put(spec.name(), new DemoAdapter(config.demoChunkDelay()));
                case "openai" -> addRemote(spec, config, http, OpenAiCompatibleAdapter::new);
                case "anthropic" -> addRemote(spec, config, http, AnthropicAdapter::new);
                case "gemini" -> addRemote(spec, config, http, (n, url, key, client) -> new GeminiAdapter(n, url, key,
                        client, images));
                default -> throw new IllegalStateException("catalog provider " + spec.name()
                        + " has wire format " + spec.wireFormat() + ", which this gateway does not speak");
            }
        }
    }

    /** How every networked adapter is built: the same four arguments, whatever its wire format. */
    @FunctionalInterface
    private interface RemoteAdapterFactory {
        ProviderAdapter create(String name, String baseUrl, String apiKey, OkHttpClient http);
    }

    private void addRemote(ProviderSpec spec, GatewayConfig config, OkHttpClient http, RemoteAdapterFactory factory) {
        String key = config.envValue(spec.keyEnv());
        String baseUrl = baseUrl(spec, config);
        baseUrls.put(spec.name(), baseUrl);
        boolean usable = spec.keyRequired() ? key != null : localServerSet(spec, config) || answers(baseUrl);
        if (usable) {
            adapters.put(spec.name(), factory.create(spec.name(), baseUrl, key, clientFor(spec.name(), config, http)));
        }
    }

    /** The shared client, or a copy with this provider's own timeouts (same connection pool and dispatcher). */
    private OkHttpClient clientFor(String provider, GatewayConfig config, OkHttpClient http) {
        var own = config.providerTimeouts().get(provider);
        if (own == null || (own.connect() == null && own.read() == null)) {
            return http;
        }
        OkHttpClient.Builder builder = http.newBuilder();
        if (own.connect() != null) {
            builder.connectTimeout(own.connect());
        }
        if (own.read() != null && timeouts != null) {
            builder.interceptors().removeIf(i -> i instanceof CallDeadline.Watch);
            builder.interceptors().add(0, timeouts.interceptor(own.read()));
        } else if (own.read() != null) {
            builder.readTimeout(own.read());
        }
        return builder.build();
    }

    private static String baseUrl(ProviderSpec spec, GatewayConfig config) {
        String override = spec.baseUrlEnv() == null ? null : config.env().get(spec.baseUrlEnv());
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        if (spec.name().equals("ollama")) {
            String host = config.env().get("OLLAMA_HOST");
            if (host != null && !host.isBlank()) {
                // OLLAMA_HOST is "host:port" or a URL, as the ollama CLI reads it.
                String url = host.strip().contains("://") ? host.strip() : "http://" + host.strip();
                return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/v1";
            }
        }
        return spec.defaultBaseUrl();
    }

    /**
     * Whether the operator said a local server exists ({@code OLLAMA_HOST}, as the ollama CLI reads it). A base-URL
     * override alone only says where to look: that server is probed like the default one, so a URL where nothing
     * listens leaves the provider unconfigured instead of routing every request there.
     */
    private static boolean localServerSet(ProviderSpec spec, GatewayConfig config) {
        return spec.name().equals("ollama") && config.envValue(List.of("OLLAMA_HOST")) != null;
    }

    /** Whether a local server listens at the URL's host and port; a quick connect, at start only. */
    private static boolean answers(String baseUrl) {
        try (Socket socket = new Socket()) {
            URI uri = URI.create(baseUrl);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()), 150);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /** The adapter of a configured provider. */
    public Optional<ProviderAdapter> adapter(String provider) {
        return Optional.ofNullable(adapters.get(provider));
    }

    public boolean isConfigured(String provider) {
        return adapters.containsKey(provider);
    }

    /** Configured providers that a request may get without naming them: all but the demo. */
    public List<String> defaultCandidates() {
        List<String> names = new ArrayList<>();
        for (ProviderSpec spec : catalog.providers()) {
            if (!spec.name().equals(DemoAdapter.NAME) && adapters.containsKey(spec.name())) {
                names.add(spec.name());
            }
        }
        return names;
    }

    public void recordOutcome(String provider, String errorOrNull) {
        if (errorOrNull == null) {
            lastErrors.remove(provider);
        } else {
            lastErrors.put(provider, errorOrNull);
        }
    }

    /** Each provider's state, without circuit-breaker knowledge (all read as closed). */
    public List<ProviderInfo> describe() {
        return describe(name -> "closed");
    }

    /** Each provider's state; {@code circuit} gives a provider's circuit-breaker state by name. */
    public List<ProviderInfo> describe(java.util.function.Function<String, String> circuit) {
        List<ProviderInfo> out = new ArrayList<>();
        for (ProviderSpec spec : catalog.providers()) {
            out.add(new ProviderInfo(spec.name(), spec.displayName(), adapters.containsKey(spec.name()),
                    baseUrls.get(spec.name()), spec.defaultModel(), spec.keyEnv(), spec.wireFormat(),
                    !lastErrors.containsKey(spec.name()), circuit.apply(spec.name()), lastErrors.get(spec.name()),
                    catalog.servesAnyModel(spec.name())));
        }
        return out;
    }

    /** The env vars that would enable some provider, for messages that tell the user what to set. */
    public List<String> enablingEnvVars() {
        List<String> names = new ArrayList<>();
        for (ProviderSpec spec : catalog.providers()) {
            if (!spec.keyEnv().isEmpty()) {
                names.add(spec.keyEnv().getFirst());
            } else if (spec.name().equals("ollama")) {
                names.add("OLLAMA_HOST");
            }
        }
        return names;
    }
}
