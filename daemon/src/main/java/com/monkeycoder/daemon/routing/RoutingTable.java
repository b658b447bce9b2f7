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
 * Which models answer a request that names none, as data ({@code routing.json}): task types and personas map to
 * model classes, and a class lists {@code provider/model} ids in order of preference. A persona's class wins
 * over the task type's, since a persona is the more specific choice of the user.
 */
public record RoutingTable(String defaultClass, Map<String, List<String>> classes, Map<String, String> taskTypes,
                           Map<String, String> personas) {

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

    /** The built-in table with a config file's {@code routing} object laid over it, key by key. */
    public RoutingTable overriddenBy(JsonNode override) {
        if (override == null || !override.isObject()) {
            return this;
        }
        RoutingTable other = parse(override);
        Map<String, List<String>> c = new LinkedHashMap<>(classes);
        c.putAll(other.classes);
        Map<String, String> t = new LinkedHashMap<>(taskTypes);
        t.putAll(other.taskTypes);
        Map<String, String> p = new LinkedHashMap<>(personas);
        p.putAll(other.personas);
        return new RoutingTable(other.defaultClass != null ? other.defaultClass : defaultClass, c, t, p);
    }

    static RoutingTable parse(JsonNode root) {
        Map<String, List<String>> classes = new LinkedHashMap<>();
        root.path("classes").properties().forEach(e -> {
            List<String> models = new ArrayList<>();
            e.getValue().forEach(m -> models.add(m.asText()));
            classes.put(e.getKey(), List.copyOf(models));
        });
        Map<String, String> taskTypes = new LinkedHashMap<>();
        root.path("task_types").properties().forEach(e -> taskTypes.put(e.getKey(), e.getValue().asText()));
        Map<String, String> personas = new LinkedHashMap<>();
        root.path("personas").properties().forEach(e -> personas.put(e.getKey(), e.getValue().asText()));
        return new RoutingTable(root.path("default_class").asText(null), classes, taskTypes, personas);
    }

    /** The preferred models for a request with this task type and persona (either may be null). */
    public List<String> modelsFor(String taskType, String persona) {
        String cls = persona != null && personas.containsKey(persona) ? personas.get(persona)
                : taskType != null && taskTypes.containsKey(taskType) ? taskTypes.get(taskType)
                : defaultClass;
        return classes.getOrDefault(cls, List.of());
    }

    public boolean knowsTaskType(String taskType) {
        return taskTypes.containsKey(taskType);
    }
}
