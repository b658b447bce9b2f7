package com.monkeycoder.cli.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Names for shell completion from the gateway's data files, copied into the CLI at build time: the catalog's
 * providers and models, and the built-in personas and task types. Static lists: a script cannot ask a gateway.
 */
public final class CatalogNames {

    private static final String DIR = "/com/monkeycoder/cli/completion/";

    private CatalogNames() {
    }

    static List<String> providers() {
        return names(read("catalog.json").path("providers"), p -> p.path("name").asText());
    }

    /** Every model as provider/model, as --model takes it. */
    static List<String> models() {
        return names(read("catalog.json").path("models"), m -> m.path("provider").asText() + "/" + m.path("id").asText());
    }

    /**
     * The providers that take any model name, not only the catalog's (a local Ollama serves whatever was pulled):
     * a name the catalog does not list is still a model there.
     */
    public static java.util.Set<String> anyModelProviders() {
        java.util.Set<String> open = new java.util.HashSet<>();
        read("catalog.json").path("providers").forEach(p -> {
            if (p.path("any_model").asBoolean(false)) {
                open.add(p.path("name").asText());
            }
        });
        return java.util.Set.copyOf(open);
    }

    static List<String> personas() {
        return names(read("tasks.json").path("personas"), p -> p.path("name").asText());
    }

    static List<String> taskTypes() {
        return names(read("tasks.json").path("task_types"), t -> t.path("name").asText());
    }

    private static List<String> names(JsonNode list, java.util.function.Function<JsonNode, String> name) {
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(name.apply(n)));
        return List.copyOf(names);
    }

    private static JsonNode read(String file) {
        try (InputStream in = CatalogNames.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException(DIR + file + " is missing from the CLI jar: rebuild with mvn package");
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
