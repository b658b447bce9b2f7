package com.monkeycoder.daemon.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which models answer a request that names none, as data ({@code routing.json}): model classes, each listing
 * {@code provider/model} ids in order of preference. Personas and task types pick a class (tasks.json).
 */
public record RoutingTable(String defaultClass, Map<String, List<String>> classes) {

    public static RoutingTable builtIn() {
        try (InputStream in = RoutingTable.class.getResourceAsStream("/com/monkeycoder/daemon/routing.json")) {
            if (in == null) {
                throw new IllegalStateException("routing.json is missing from the gateway's resources");
            }
            return parse(Json.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read routing.json", e);
        }
    }

    /** The built-in table with a config file's {@code routing} object laid over it, class by class. */
    public RoutingTable overriddenBy(JsonNode override) {
        if (override == null || !override.isObject()) {
            return this;
        }
        RoutingTable other = parse(override);
        Map<String, List<String>> merged = new LinkedHashMap<>(classes);
        merged.putAll(other.classes);
        return new RoutingTable(other.defaultClass != null ? other.defaultClass : defaultClass, merged);
    }

    static RoutingTable parse(JsonNode root) {
        Map<String, List<String>> classes = new LinkedHashMap<>();
        root.path("classes").properties().forEach(e -> {
            List<String> models = new ArrayList<>();
            e.getValue().forEach(m -> models.add(m.asText()));
            classes.put(e.getKey(), List.copyOf(models));
        });
        return new RoutingTable(root.path("default_class").asText(null), classes);
    }

    /** The preferred models of a class; an unknown or null class means the default class. */
    public List<String> modelsFor(String modelClass) {
        List<String> models = modelClass == null ? null : classes.get(modelClass);
        return models != null ? models : classes.getOrDefault(defaultClass, List.of());
    }
}
