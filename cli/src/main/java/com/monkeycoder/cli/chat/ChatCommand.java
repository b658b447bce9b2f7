package com.monkeycoder.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.config.ModelChoice;
import com.monkeycoder.cli.config.Settings;
import com.monkeycoder.cli.terminal.Style;
import org.jline.terminal.Terminal;
import com.monkeycoder.cli.completion.Candidates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code monkey chat}: a conversation with a model, in a REPL that keeps the context across turns. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        modelTransformer = GatewayOptions.VerboseSaysWhoAnswered.class,
        description = {"Talk with a model in a REPL; each message is sent with the conversation so far.",
                "Commands: /model, /provider, /persona, /clear, /save FILE, /usage, /help, /exit. A line ending in \\ "
                        + "continues on the next. Ctrl-C stops an answer, Ctrl-D quits. History is kept in the state folder."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey chat",
                "  monkey chat --provider demo",
                "  monkey chat --model anthropic/claude-sonnet-4-5 --persona reviewer",
                "  printf 'what is a monad?\\n' | monkey chat --quiet      (one turn, from a script)"})
public final class ChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--model", paramLabel = "MODEL", completionCandidates = Candidates.Models.class,
            description = "Start with this model (change it with /model). "
            + "Default: MONKEY_CODER_MODEL, else config default_model.")
    String model;

    @Option(names = "--provider", paramLabel = "PROVIDER", completionCandidates = Candidates.Providers.class,
            description = "Start with this provider (change it with /provider). "
            + "Default: MONKEY_CODER_PROVIDER, else config default_provider.")
    String provider;

    @Option(names = "--persona", paramLabel = "PERSONA", completionCandidates = Candidates.Personas.class,
            description = "Start with this persona (change it with /persona). "
            + "Default: MONKEY_CODER_PERSONA, else config default_persona.")
    String persona;

    @Option(names = "--task", paramLabel = "TYPE", completionCandidates = Candidates.TaskTypes.class,
            description = "Send every message as this task type (default: none, "
            + "a plain conversation).")
    String taskType;

    @Option(names = "--no-history", description = "Do not read or save the history file.")
    boolean noHistory;

    private final CliContext context;

    public ChatCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure,
                gateway.notices(spec.commandLine().getErr())));
        ModelChoice choice = ModelChoice.of(new Settings(context), provider, model, persona);
        ChatSession session = new ChatSession(client, choice, taskType, Path.of("").toAbsolutePath());
        try (Terminal terminal = context.terminal().open()) {
            boolean dumb = Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
            Style style = dumb ? Style.plain() : Style.forStream(true, context.env());
            Path history = noHistory ? null : context.paths().stateDir().resolve("chat_history");
            ChatRepl.Options options = new ChatRepl.Options(history, gateway.verbose, !dumb && !gateway.quiet, style,
                    context.env());
            ChatCompleter completer = new ChatCompleter(
                    names(client, "/v1/models", body -> body.path("data"), "id"),
                    names(client, "/v1/providers", body -> body.path("providers"), "name"),
                    names(client, "/v1/capabilities", body -> body.path("personas"), "name"));
            return new ChatRepl(terminal, session, completer, options).run();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "cannot open the terminal for the chat: " + e.getMessage(), e);
        }
    }

    /** Names from a gateway list, fetched once when completion first needs them; none when the gateway fails. */
    private static Supplier<List<String>> names(GatewayClient client, String path, Function<JsonNode, JsonNode> list,
                                                String field) {
        return new Supplier<>() {
            private List<String> names;

            @Override
            public synchronized List<String> get() {
                if (names == null) {
                    List<String> found = new ArrayList<>();
                    try {
                        list.apply(client.get(path)).forEach(n -> found.add(n.path(field).asText()));
                    } catch (ExitException e) {
                        // completion is a convenience: no names rather than an error in the middle of typing
                    }
                    names = List.copyOf(found);
                }
                return names;
            }
        };
    }
}
