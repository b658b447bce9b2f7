package com.monkeycoder.cli.chat;

import com.monkeycoder.shared.text.EditDistance;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.completion.CatalogNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The models, providers and personas the gateway offers, fetched when first needed: the chat checks
 * {@code /model}, {@code /provider} and {@code /persona} against them at once, rather than letting the next
 * message fail, and completion offers them.
 */
final class GatewayCatalog {

    /** One entry of {@code GET /v1/models}. */
    record Model(String id, String provider, String name, List<String> aliases) {

        boolean named(String wanted) {
            return name.equals(wanted) || aliases.contains(wanted);
        }
    }

    private final GatewayClient client;
    private List<Model> models;
    private List<String> providers;
    private List<String> personas;

    GatewayCatalog(GatewayClient client) {
        this.client = client;
    }

    /** @throws ExitException when the gateway cannot be asked */
    synchronized List<Model> models() {
        if (models == null) {
            List<Model> found = new ArrayList<>();
            for (JsonNode m : client.get("/v1/models").path("data")) {
                List<String> aliases = new ArrayList<>();
                m.path("aliases").forEach(a -> aliases.add(a.asText()));
                found.add(new Model(m.path("id").asText(), m.path("provider").asText(), m.path("model").asText(),
                        List.copyOf(aliases)));
            }
            models = List.copyOf(found);
        }
        return models;
    }

    /** @throws ExitException when the gateway cannot be asked */
    synchronized List<String> providers() {
        if (providers == null) {
            providers = names(client.get("/v1/providers").path("providers"));
        }
        return providers;
    }

    /** @throws ExitException when the gateway cannot be asked */
    synchronized List<String> personas() {
        if (personas == null) {
            personas = names(client.get("/v1/capabilities").path("personas"));
        }
        return personas;
    }

    /**
     * Why the gateway would refuse {@code model} (as the request names it: provider/model, or a bare name or alias
     * with {@code provider} preferred or null), or empty when it knows it.
     */
    Optional<String> modelProblem(String model, String provider) {
        List<Model> all = models();
        int slash = model.indexOf('/');
        String prefix = slash > 0 ? model.substring(0, slash) : null;
        boolean known;
        if (prefix != null && all.stream().anyMatch(m -> m.provider().equals(prefix))) {
            String rest = model.substring(slash + 1);
            known = all.stream().anyMatch(m -> m.provider().equals(prefix) && m.named(rest))
                    || CatalogNames.anyModelProviders().contains(prefix);
        } else {
            known = all.stream().anyMatch(m -> (provider == null || m.provider().equals(provider)) && m.named(model));
        }
        if (known) {
            return Optional.empty();
        }
        String typed = (slash > 0 ? model.substring(slash + 1) : model).toLowerCase(Locale.ROOT);
        int typos = Math.max(1, typed.length() / 5); // gpt-9 is not a typo of gpt-4o; gpt-4.1-mimi is of gpt-4.1-mini
        List<String> close = all.stream().filter(m -> EditDistance.between(m.name().toLowerCase(Locale.ROOT), typed) <= typos)
                .map(Model::id).limit(3).toList();
        return Optional.of("unknown model '" + model + "' (" + (close.isEmpty() ? "monkey models lists them"
                : "did you mean " + String.join(", ", close) + "?") + ")");
    }

    /** Why the gateway would refuse {@code provider}, or empty. */
    Optional<String> providerProblem(String provider) {
        List<String> known = providers();
        return known.contains(provider) ? Optional.empty()
                : Optional.of("unknown provider '" + provider + "' (known: " + String.join(", ", known) + ")");
    }

    /** Why the gateway would refuse {@code persona}, or empty. */
    Optional<String> personaProblem(String persona) {
        List<String> known = personas();
        return known.contains(persona) ? Optional.empty()
                : Optional.of("unknown persona '" + persona + "' (known: " + String.join(", ", known) + ")");
    }

    /** For completion: the names, or none when the gateway fails (a convenience must not interrupt typing). */
    static Supplier<List<String>> orNone(Supplier<List<String>> names) {
        return () -> {
            try {
                return names.get();
            } catch (ExitException e) {
                return List.of();
            }
        };
    }

    List<String> modelIds() {
        return models().stream().map(Model::id).toList();
    }


    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.path("name").asText()));
        return List.copyOf(names);
    }
}
