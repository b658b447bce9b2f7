package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a name that {@code monkey config set} is about to store against the gateway the CLI uses, so a typo is
 * refused now rather than breaking every later request: {@code default_model} against its catalog
 * ({@code GET /v1/models}), {@code default_provider} against {@code GET /v1/providers}, {@code default_persona}
 * against the personas of {@code GET /v1/capabilities}.
 */
final class GatewayNames {

    private static final Set<Setting> CHECKED = Set.of(Settings.DEFAULT_MODEL, Settings.DEFAULT_PROVIDER,
            Settings.DEFAULT_PERSONA);

    private final CliContext context;
    private final PrintWriter err;

    GatewayNames(CliContext context, PrintWriter err) {
        this.context = context;
        this.err = err;
    }

    static boolean checks(Setting setting) {
        return CHECKED.contains(setting);
    }

    /**
     * @throws ExitException a usage error (2) naming the value when the gateway does not know it; the gateway's own
     *                       exit code, with a hint at {@code --force}, when it cannot be asked
     */
    void check(Setting setting, String value) {
        Answers answers = ask(setting, value);
        if (setting == Settings.DEFAULT_MODEL) {
            if (!knowsModel(answers.list(), answers.providers(), value)) {
                throw new ExitException(ExitCodes.USAGE, setting.key() + " '" + value + "' is not a model "
                        + answers.where() + " knows (monkey models lists them; --force sets it anyway)");
            }
            return;
        }
        List<String> known = names(answers.list());
        if (!known.contains(value)) {
            String kind = setting == Settings.DEFAULT_PROVIDER ? "provider" : "persona";
            throw new ExitException(ExitCodes.USAGE, setting.key() + " '" + value + "' is not a " + kind + " of "
                    + answers.where() + ": use one of " + String.join(", ", known) + " (monkey " + kind + "s lists them)");
        }
    }

    /** What the gateway says: the list to check against, its providers, and how to name it in a message. */
    private record Answers(JsonNode list, JsonNode providers, String where) {
    }

    private Answers ask(Setting setting, String value) {
        try {
            Connection connection = Connections.resolve(context, null, false, err);
            String where = connection.local() ? "the local daemon" : "the gateway at " + connection.baseUrl();
            GatewayClient client = new GatewayClient(connection);
            JsonNode providers = client.get("/v1/providers").path("providers");
            JsonNode list = setting == Settings.DEFAULT_MODEL ? client.get("/v1/models").path("data")
                    : setting == Settings.DEFAULT_PROVIDER ? providers
                    : client.get("/v1/capabilities").path("personas");
            return new Answers(list, providers, where);
        } catch (ExitException cannotAsk) {
            throw new ExitException(cannotAsk.exitCode(), "cannot check " + setting.key() + " '" + value
                    + "' against the gateway: " + cannotAsk.getMessage() + "; add --force to set it unchecked");
        }
    }

    /**
     * What the gateway's router accepts: {@code provider/model} or a bare model name, either by id or by alias,
     * and any {@code provider/name} of a provider that serves models its catalog does not list (Ollama).
     */
    private static boolean knowsModel(JsonNode models, JsonNode providers, String value) {
        int slash = value.indexOf('/');
        String provider = slash > 0 ? value.substring(0, slash) : null;
        String name = slash > 0 ? value.substring(slash + 1) : value;
        for (JsonNode m : models) {
            if (m.path("id").asText().equals(value)) {
                return true;
            }
            boolean sameProvider = provider == null || provider.equals(m.path("provider").asText());
            if (sameProvider && (name.equals(m.path("model").asText()) || texts(m.path("aliases")).contains(name))) {
                return true;
            }
        }
        for (JsonNode p : providers) {
            if (p.path("name").asText().equals(provider) && p.path("any_model").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    private static List<String> texts(JsonNode strings) {
        List<String> names = new ArrayList<>();
        strings.forEach(n -> names.add(n.asText()));
        return names;
    }
}
