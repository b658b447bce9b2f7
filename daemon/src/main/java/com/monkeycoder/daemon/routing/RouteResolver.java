package com.monkeycoder.daemon.routing;

import com.monkeycoder.shared.text.EditDistance;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.catalog.ProviderSpec;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the provider and model for a request from its {@code model} ({@code provider/model} or a bare catalog
 * id) and its {@code preferred_providers}. Unknown names are the client's mistake (400, with close names);
 * a known provider without a key is the operator's (503, naming the env var to set).
 */
public final class RouteResolver {

    private final ProviderRegistry providers;
    private final ModelCatalog catalog;
    private final RoutingTable table;
    private final HealthBoard health;

    public RouteResolver(ProviderRegistry providers) {
        this(providers, RoutingTable.builtIn(), new HealthBoard(5, java.time.Duration.ofSeconds(30), java.time.Clock.systemUTC()));
    }

    public RouteResolver(ProviderRegistry providers, RoutingTable table, HealthBoard health) {
        this.providers = providers;
        this.catalog = providers.catalog();
        this.table = table;
        this.health = health;
    }

    /**
     * Every (provider, model) that may serve the request, best first. A named model is that model only: the user
     * chose it. Otherwise the routing table's {@code modelClass} (from the persona or task type) gives the order, configured
     * providers outside it follow with their default models, and providers that are failing now go last (the
     * dispatcher skips those whose circuit is open).
     */
    public List<Route> candidates(String model, List<String> preferredProviders, String modelClass,
                                  ConversationRequest request) {
        List<Route> all = candidates(model, preferredProviders, modelClass);
        Capabilities.Needs needs = Capabilities.of(request);
        if (needs.isEmpty()) {
            return all;
        }
        List<Route> able = new ArrayList<>();
        List<String> unable = new ArrayList<>();
        for (Route r : all) {
            List<String> missing = needs.missing(r, catalog.traits(r.model()),
                    catalog.model(r.provider(), r.model().id()).isEmpty());
            if (missing.isEmpty()) {
                able.add(r);
            } else {
                unable.add(r.model().qualifiedId() + " lacks " + String.join(", ", missing));
            }
        }
        if (able.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", needs.field());
            details.put("needs", needs.described());
            details.put("candidates", unable);
            throw new ApiError(ErrorCode.VALIDATION_ERROR, "no model that may serve this request supports what it needs ("
                    + String.join(", ", needs.described()) + "): " + String.join("; ", unable), details, null);
        }
        return able;
    }

    /** Candidates by name and routing class alone, whatever the request needs. */
    public List<Route> candidates(String model, List<String> preferredProviders, String modelClass) {
        List<String> preferred = preferredProviders == null ? List.of() : preferredProviders;
        checkKnown(preferred);
        if (model != null && !model.isBlank()) {
            return List.of(resolveModel(model.strip(), preferred));
        }
        List<String> classModels = table.modelsFor(modelClass);
        List<Route> out = new ArrayList<>();
        if (!preferred.isEmpty()) {
            for (String p : preferred) {
                if (providers.isConfigured(p)) {
                    String id = classModels.stream().filter(m -> m.startsWith(p + "/")).findFirst()
                            .map(m -> m.substring(p.length() + 1))
                            .orElseGet(() -> catalog.provider(p).orElseThrow().defaultModel());
                    out.add(route(p, id));
                }
            }
            if (out.isEmpty()) {
                throw notConfigured(preferred.getFirst());
            }
            return byHealth(out);
        }
        java.util.Set<String> covered = new java.util.HashSet<>();
        for (String qualified : classModels) {
            int slash = qualified.indexOf('/');
            String p = qualified.substring(0, slash);
            if (providers.isConfigured(p) && catalog.model(p, qualified.substring(slash + 1)).isPresent()) {
                out.add(route(p, qualified.substring(slash + 1)));
                covered.add(p);
            }
        }
        for (String p : providers.defaultCandidates()) {
            if (covered.add(p)) {
                out.add(route(p, catalog.provider(p).orElseThrow().defaultModel()));
            }
        }
        if (out.isEmpty()) {
            throw noProviderConfigured();
        }
        return byHealth(out);
    }

    /** Healthy providers first, then those failing lately, then those whose circuit is open; stable within each. */
    private List<Route> byHealth(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt(r -> {
            HealthBoard.ProviderHealth h = health.of(r.provider());
            return switch (h.breaker().state()) {
                case OPEN -> 2;
                case HALF_OPEN -> 1;
                case CLOSED -> health.demoted(r.provider()) ? 1 : 0;
            };
        }));
        return sorted;
    }

    private void checkKnown(List<String> preferred) {
        for (String p : preferred) {
            if (catalog.provider(p).isEmpty()) {
                throw ApiError.badRequest("unknown provider '" + p + "'; known providers: " + knownProviders(),
                        Map.of("provider", p, "known", knownProviders()));
            }
        }
    }

    /** The single best route (the first candidate before health is considered). */
    public Route resolve(String model, List<String> preferredProviders) {
        List<String> preferred = preferredProviders == null ? List.of() : preferredProviders;
        checkKnown(preferred);
        if (model != null && !model.isBlank()) {
            return resolveModel(model.strip(), preferred);
        }
        List<String> order = preferred.isEmpty() ? providers.defaultCandidates() : preferred;
        for (String p : order) {
            if (providers.isConfigured(p)) {
                ProviderSpec spec = catalog.provider(p).orElseThrow();
                return route(p, spec.defaultModel());
            }
        }
        if (preferred.isEmpty()) {
            throw noProviderConfigured();
        }
        throw notConfigured(preferred.getFirst());
    }

    private Route resolveModel(String model, List<String> preferred) {
        int slash = model.indexOf('/');
        if (slash > 0 && catalog.provider(model.substring(0, slash)).isPresent()) {
            String provider = model.substring(0, slash);
            String id = model.substring(slash + 1);
            if (!preferred.isEmpty() && !preferred.contains(provider)) {
                throw ApiError.badRequest("model '" + model + "' is not served by the preferred providers " + preferred);
            }
            if (catalog.model(provider, id).isEmpty()) {
                throw unknownModel(model);
            }
            return route(provider, id);
        }
        // A bare id: the catalog says which providers serve it; take the first configured one.
        List<ModelEntry> serving = catalog.modelsNamed(model).stream()
                .filter(m -> preferred.isEmpty() || preferred.contains(m.provider()))
                .sorted(Comparator.comparingInt(m -> preferred.isEmpty() ? 0 : preferred.indexOf(m.provider())))
                .toList();
        if (serving.isEmpty()) {
            // Providers that serve any model (Ollama) take a bare name when named as preferred.
            for (String p : preferred) {
                if (catalog.model(p, model).isPresent()) {
                    return route(p, model);
                }
            }
            throw unknownModel(model);
        }
        for (ModelEntry m : serving) {
            if (providers.isConfigured(m.provider())) {
                return route(m.provider(), m.id());
            }
        }
        throw notConfigured(serving.getFirst().provider());
    }

    private Route route(String provider, String modelId) {
        ModelEntry entry = catalog.model(provider, modelId).orElseThrow(() -> unknownModel(provider + "/" + modelId));
        var adapter = providers.adapter(provider).orElseThrow(() -> notConfigured(provider));
        return new Route(adapter, entry);
    }

    private ApiError unknownModel(String model) {
        List<String> close = closeNames(model);
        String hint = close.isEmpty() ? " (GET /v1/models lists them)" : "; did you mean " + String.join(", ", close) + "?";
        return ApiError.badRequest("unknown model '" + model + "'" + hint, Map.of("model", model, "suggestions", close));
    }

    private ApiError notConfigured(String provider) {
        ProviderSpec spec = catalog.provider(provider).orElseThrow();
        String how = spec.keyEnv().isEmpty() ? "start its server or set OLLAMA_HOST" : "set " + String.join(" or ", spec.keyEnv());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "provider_not_configured");
        details.put("provider", provider);
        details.put("env", spec.keyEnv().isEmpty() ? List.of("OLLAMA_HOST") : spec.keyEnv());
        return new ApiError(ErrorCode.SERVICE_UNAVAILABLE,
                "provider '" + provider + "' is not configured on this gateway: " + how + " where the gateway runs",
                details, null);
    }

    private ApiError noProviderConfigured() {
        List<String> env = providers.enablingEnvVars();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "no_provider_configured");
        details.put("env", env);
        return new ApiError(ErrorCode.SERVICE_UNAVAILABLE,
                "no AI provider is configured: set one of " + String.join(", ", env)
                        + " where the gateway runs, or try the offline demo with provider 'demo'",
                details, null);
    }

    private List<String> knownProviders() {
        return catalog.providers().stream().map(ProviderSpec::name).toList();
    }

    /**
     * Up to five names nearest to what was asked, by edit distance to each model's id and aliases. A model is
     * suggested by the name that came closest, as the client would type it: an alias ("sonnet" for "sonet") as the
     * bare alias, an id as provider/model; a name asked with its provider keeps it.
     */
    private List<String> closeNames(String asked) {
        String needle = asked.toLowerCase();
        int slash = needle.indexOf('/');
        String askedProvider = slash > 0 ? needle.substring(0, slash) : null;
        String bare = slash > 0 ? needle.substring(slash + 1) : needle;
        record Scored(String name, int score, boolean alias) {
        }
        List<Scored> scored = new ArrayList<>();
        for (ModelEntry m : catalog.models()) {
            Scored best = null;
            for (String name : names(m)) {
                String candidate = name.toLowerCase();
                boolean alias = !name.equals(m.id());
                int d = Math.min(EditDistance.between(bare, candidate), EditDistance.between(needle, m.provider() + "/" + candidate));
                boolean related = candidate.contains(bare) || bare.contains(candidate);
                if (!related && d > Math.max(2, bare.length() / 3)) {
                    continue;
                }
                // Ranked by distance even when related: "gpt-4.1-mnii" contains "gpt-4.1", yet means gpt-4.1-mini.
                String shown = askedProvider != null || !alias ? m.provider() + "/" + name : name;
                if (best == null || d < best.score() || (d == best.score() && best.alias() && !alias)) {
                    best = new Scored(shown, d, alias);
                }
            }
            if (best != null) {
                scored.add(best);
            }
        }
        return scored.stream().sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::name))
                .map(Scored::name).distinct().limit(5).toList();
    }

    /** A model's id, then its aliases. */
    private List<String> names(ModelEntry m) {
        List<String> names = new ArrayList<>();
        names.add(m.id());
        names.addAll(catalog.traits(m).aliases());
        return names;
    }


    /** The model to use for a provider named alone (the CLI's {@code --provider}). */
    public Optional<String> defaultModel(String provider) {
        return catalog.provider(provider).map(ProviderSpec::defaultModel);
    }
}
