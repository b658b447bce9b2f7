package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.GatewayError;

import java.util.ArrayList;
import java.util.List;

/**
 * The provider, model and persona a request names. Each comes from its flag, else the environment, else
 * config.json ({@code default_provider}, {@code default_model}, {@code default_persona}); {@code --provider} and
 * {@code --model} count as one choice, so a flag for either sets both defaults aside (a default model of another
 * provider than the flag names would only make the request fail).
 *
 * @param provider  null: the gateway chooses
 * @param model     null: the provider's default; otherwise provider/model or a model name
 * @param persona   null: the gateway's default persona
 * @param defaulted the values that came from the environment or config.json rather than a flag, so an error about
 *                  one can say where it came from
 */
public record ModelChoice(String provider, String model, String persona, List<Settings.Resolved> defaulted) {

    public ModelChoice {
        defaulted = List.copyOf(defaulted);
    }

    public ModelChoice(String provider, String model, String persona) {
        this(provider, model, persona, List.of());
    }

    public static ModelChoice of(Settings settings, String providerFlag, String modelFlag, String personaFlag) {
        List<Settings.Resolved> defaulted = new ArrayList<>();
        String persona = kept(settings.resolve(Settings.DEFAULT_PERSONA, personaFlag, "--persona"), defaulted);
        if (providerFlag == null && modelFlag == null) {
            return new ModelChoice(kept(settings.resolve(Settings.DEFAULT_PROVIDER), defaulted),
                    kept(settings.resolve(Settings.DEFAULT_MODEL), defaulted), persona, defaulted);
        }
        String model = modelFlag;
        if (model == null) {
            // --provider openai keeps a default model of that provider (default_model openai/gpt-4.1).
            Settings.Resolved fallback = settings.resolve(Settings.DEFAULT_MODEL);
            if (fallback.value() != null && fallback.value().startsWith(providerFlag + "/")) {
                model = kept(fallback, defaulted);
            }
        }
        return new ModelChoice(providerFlag, model, persona, defaulted);
    }

    /** The value; remembered in {@code defaulted} when it came from the environment or config.json. */
    private static String kept(Settings.Resolved resolved, List<Settings.Resolved> defaulted) {
        if (resolved.value() != null && (resolved.source() == Settings.Source.ENV
                || resolved.source() == Settings.Source.CONFIG)) {
            defaulted.add(resolved);
        }
        return resolved.value();
    }

    /** {@code preferred_providers} for the request. */
    public List<String> providers() {
        return provider == null ? null : List.of(provider);
    }

    /** The model for the request: {@code --provider openai --model gpt-4.1} means openai/gpt-4.1. */
    public String qualifiedModel() {
        if (model == null) {
            return null;
        }
        return provider != null && !model.startsWith(provider + "/") ? provider + "/" + model : model;
    }

    public ModelChoice withProvider(String newProvider) {
        String newModel = model != null && newProvider != null && model.contains("/")
                && !model.startsWith(newProvider + "/") ? null : model;
        return new ModelChoice(newProvider, newModel, persona, keptOrigins(newProvider, newModel, persona));
    }

    public ModelChoice withModel(String newModel) {
        String newProvider = newModel != null && provider != null && newModel.contains("/")
                && !newModel.startsWith(provider + "/") ? null : provider;
        return new ModelChoice(newProvider, newModel, persona, keptOrigins(newProvider, newModel, persona));
    }

    public ModelChoice withPersona(String newPersona) {
        return new ModelChoice(provider, model, newPersona, keptOrigins(provider, model, newPersona));
    }

    /** The origins of the values that stay as they were; a value the user just chose has none. */
    private List<Settings.Resolved> keptOrigins(String newProvider, String newModel, String newPersona) {
        return defaulted.stream().filter(r -> r.setting() == Settings.DEFAULT_PROVIDER ? r.value().equals(newProvider)
                : r.setting() == Settings.DEFAULT_MODEL ? r.value().equals(newModel)
                : r.value().equals(newPersona)).toList();
    }

    /**
     * The gateway's refusal of a persona, model or provider that came from the environment or config.json, said
     * with where it came from and how to change it; any other error as it was. Without this, a bad
     * {@code default_persona} in config.json reads as if the user had just typed it.
     */
    public ExitException explain(ExitException failure) {
        if (!(failure instanceof GatewayError refused)) {
            return failure;
        }
        for (Settings.Resolved r : defaulted) {
            String problem = problem(r.setting(), refused);
            if (problem != null) {
                return new ExitException(refused.exitCode(), origin(r) + " " + problem + " (" + listCommand(r.setting())
                        + " lists them; " + fix(r) + ")");
            }
        }
        return failure;
    }

    /** What is wrong with the value of {@code setting}, when the gateway's error is about it; else null. */
    private static String problem(Setting setting, GatewayError refused) {
        JsonNode details = refused.gatewayDetails();
        if (setting == Settings.DEFAULT_PERSONA && "persona".equals(refused.field())) {
            return "is not a known persona";
        }
        if (setting == Settings.DEFAULT_MODEL && details.hasNonNull("model") && details.has("suggestions")) {
            List<String> close = new ArrayList<>();
            details.path("suggestions").forEach(s -> close.add(s.asText()));
            return "is not a known model" + (close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)");
        }
        if (setting == Settings.DEFAULT_PROVIDER && details.hasNonNull("provider") && details.has("known")) {
            return "is not a known provider";
        }
        return null;
    }

    /** {@code default_persona 'pirate' from /home/me/.config/monkey-coder/config.json}. */
    private static String origin(Settings.Resolved r) {
        return r.source() == Settings.Source.ENV
                ? r.setting().env() + " '" + r.value() + "' from the environment"
                : r.setting().key() + " '" + r.value() + "' from " + r.origin();
    }

    private static String fix(Settings.Resolved r) {
        return r.source() == Settings.Source.ENV
                ? "change or unset " + r.setting().env()
                : "monkey config set " + r.setting().key() + " NAME, or monkey config unset " + r.setting().key();
    }

    private static String listCommand(Setting setting) {
        return setting == Settings.DEFAULT_PERSONA ? "monkey personas"
                : setting == Settings.DEFAULT_MODEL ? "monkey models" : "monkey providers";
    }
}
