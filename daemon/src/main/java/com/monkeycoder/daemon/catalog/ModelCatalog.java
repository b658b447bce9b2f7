package com.monkeycoder.daemon.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;

/**
 * The providers and models the gateway knows, read from {@code catalog.json}: data, not code, so that a
 * price change is an edit of one file. Each model has input and output prices and, optionally,
 * {@code cache_read_per_million} and {@code cache_write_per_million} for providers with prompt caching.
 */
public final class ModelCatalog {

    private final Map<String, ProviderSpec> providers;
    private final Set<String> openModelProviders;
    private final List<ModelEntry> models;
    private final Map<String, ModelTraits> traits;

    private ModelCatalog(Map<String, ProviderSpec> providers, Set<String> openModelProviders, List<ModelEntry> models,
                         Map<String, ModelTraits> traits) {
        this.traits = traits;
        this.providers = providers;
        this.openModelProviders = openModelProviders;
        this.models = models;
    }

    /** The catalog shipped with the gateway. */
    public static ModelCatalog builtIn() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("/com/monkeycoder/daemon/catalog.json")) {
            if (in == null) {
                throw new IllegalStateException("catalog.json is missing from the gateway's resources");
            }
            return parse(Json.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model catalog", e);
        }
    }

    static ModelCatalog parse(JsonNode root) {
        Map<String, ProviderSpec> providers = new LinkedHashMap<>();
        Set<String> open = new HashSet<>();
        for (JsonNode p : root.path("providers")) {
            List<String> keyEnv = new ArrayList<>();
            p.path("key_env").forEach(k -> keyEnv.add(k.asText()));
            ProviderSpec spec = new ProviderSpec(
                    p.path("name").asText(),
                    p.path("display_name").asText(),
                    p.path("wire_format").asText(),
                    List.copyOf(keyEnv),
                    p.path("base_url_env").asText(null),
                    p.path("default_base_url").asText(null),
                    p.path("default_model").asText(),
                    p.path("key_required").asBoolean(true));
            providers.put(spec.name(), spec);
            if (p.path("any_model").asBoolean(false)) {
                open.add(spec.name());
            }
        }
        List<ModelEntry> models = new ArrayList<>();
        Map<String, ModelTraits> traits = new java.util.HashMap<>();
        for (JsonNode m : root.path("models")) {
            String provider = m.path("provider").asText();
            if (!providers.containsKey(provider)) {
                throw new IllegalStateException("catalog model " + m.path("id").asText() + " names unknown provider " + provider);
            }
            long input = micros(m.path("input_per_million"));
            // Cache prices are optional: without one, cached tokens cost what they would have cost uncached.
            models.add(new ModelEntry(provider, m.path("id").asText(),
                    m.hasNonNull("context_window") ? m.get("context_window").asInt() : null,
                    input, micros(m.path("output_per_million")),
                    m.hasNonNull("cache_read_per_million") ? micros(m.get("cache_read_per_million")) : input,
                    m.hasNonNull("cache_write_per_million") ? micros(m.get("cache_write_per_million")) : input));
            traits.put(models.getLast().qualifiedId(), new ModelTraits(texts(m.path("aliases")),
                    m.has("capabilities") ? texts(m.path("capabilities")) : ModelTraits.NONE.capabilities(),
                    m.hasNonNull("max_output_tokens") ? m.get("max_output_tokens").asInt() : null));
        }
        return new ModelCatalog(java.util.Collections.unmodifiableMap(providers), Set.copyOf(open), List.copyOf(models),
                Map.copyOf(traits));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static long micros(JsonNode usdPerMillion) {
        // Through the decimal text, so 0.15 becomes exactly 150000 micro-dollars.
        return new BigDecimal(usdPerMillion.asText("0")).movePointRight(6).longValueExact();
    }

    /** In the catalog's order, which is also the order the gateway tries them in when a request names none. */
    public List<ProviderSpec> providers() {
        return List.copyOf(providers.values());
    }

    public Optional<ProviderSpec> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    public List<ModelEntry> models() {
        return models;
    }

    /**
     * The model {@code id} (or one of its aliases) of {@code provider}; providers that serve any model (Ollama) get
     * a free entry for names the catalog does not list.
     */
    public Optional<ModelEntry> model(String provider, String id) {
        for (ModelEntry m : models) {
            if (m.provider().equals(provider) && named(m, id)) {
                return Optional.of(m);
            }
        }
        if (openModelProviders.contains(provider)) {
            return Optional.of(new ModelEntry(provider, id, null, 0, 0));
        }
        return Optional.empty();
    }

    /** Whether {@code provider} serves models the catalog does not list (Ollama). */
    public boolean servesAnyModel(String provider) {
        return openModelProviders.contains(provider);
    }

    /** Every catalog model with this bare id or alias, across providers. */
    public List<ModelEntry> modelsNamed(String id) {
        return models.stream().filter(m -> named(m, id)).toList();
    }

    /** Aliases and capabilities of a model; a model outside the catalog (Ollama's) has none. */
    public ModelTraits traits(ModelEntry model) {
        return traits.getOrDefault(model.qualifiedId(), ModelTraits.NONE);
    }

    private boolean named(ModelEntry m, String name) {
        return m.id().equals(name) || traits(m).aliases().contains(name);
    }
}
