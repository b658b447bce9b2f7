package com.monkeycoder.cli.config;

import java.util.List;

/**
 * The provider, model and persona a request names. Each comes from its flag, else the environment, else
 * config.json ({@code default_provider}, {@code default_model}, {@code default_persona}); {@code --provider} and
 * {@code --model} count as one choice, so a flag for either sets both defaults aside (a default model of another
 * provider than the flag names would only make the request fail).
 *
 * @param provider null: the gateway chooses
 * @param model    null: the provider's default; otherwise provider/model or a model name
 * @param persona  null: the gateway's default persona
 */
public record ModelChoice(String provider, String model, String persona) {

    public static ModelChoice of(Settings settings, String providerFlag, String modelFlag, String personaFlag) {
        String persona = settings.resolve(Settings.DEFAULT_PERSONA, personaFlag, "--persona").value();
        if (providerFlag == null && modelFlag == null) {
            return new ModelChoice(settings.resolve(Settings.DEFAULT_PROVIDER).value(),
                    settings.resolve(Settings.DEFAULT_MODEL).value(), persona);
        }
        String model = modelFlag;
        if (model == null) {
            // --provider openai keeps a default model of that provider (default_model openai/gpt-4.1).
            String fallback = settings.resolve(Settings.DEFAULT_MODEL).value();
            model = fallback != null && fallback.startsWith(providerFlag + "/") ? fallback : null;
        }
        return new ModelChoice(providerFlag, model, persona);
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
        return new ModelChoice(newProvider, model != null && newProvider != null && model.contains("/")
                && !model.startsWith(newProvider + "/") ? null : model, persona);
    }

    public ModelChoice withModel(String newModel) {
        return new ModelChoice(newModel != null && provider != null && newModel.contains("/")
                && !newModel.startsWith(provider + "/") ? null : provider, newModel, persona);
    }

    public ModelChoice withPersona(String newPersona) {
        return new ModelChoice(provider, model, newPersona);
    }
}
