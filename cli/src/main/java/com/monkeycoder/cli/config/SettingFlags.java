package com.monkeycoder.cli.config;

import com.monkeycoder.cli.completion.Candidates;
import picocli.CommandLine.Option;

/**
 * The flags that override settings, for {@code config get} and {@code config list}: given there, they show what a
 * command given the same flags would use, and {@code flag} as the source.
 */
public final class SettingFlags {

    @Option(names = "--base-url", paramLabel = "URL", description = "As if --base-url were given.")
    String baseUrl;

    @Option(names = "--model", paramLabel = "MODEL", completionCandidates = Candidates.Models.class,
            description = "As if --model were given.")
    String model;

    @Option(names = "--provider", paramLabel = "PROVIDER", completionCandidates = Candidates.Providers.class,
            description = "As if --provider were given.")
    String provider;

    @Option(names = "--persona", paramLabel = "PERSONA", completionCandidates = Candidates.Personas.class,
            description = "As if --persona were given.")
    String persona;

    @Option(names = "--port", paramLabel = "PORT", description = "As if --port were given (daemon start).")
    Integer port;

    Settings.Resolved resolve(Settings settings, Setting setting) {
        if (setting == Settings.BASE_URL) {
            return settings.resolve(setting, baseUrl, "--base-url");
        }
        if (setting == Settings.DEFAULT_MODEL) {
            return settings.resolve(setting, model, "--model");
        }
        if (setting == Settings.DEFAULT_PROVIDER) {
            return settings.resolve(setting, provider, "--provider");
        }
        if (setting == Settings.DEFAULT_PERSONA) {
            return settings.resolve(setting, persona, "--persona");
        }
        if (setting == Settings.PORT) {
            return settings.resolve(setting, port == null ? null : port.toString(), "--port");
        }
        return settings.resolve(setting);
    }
}
