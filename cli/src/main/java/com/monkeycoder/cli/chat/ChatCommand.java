package com.monkeycoder.cli.chat;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.MaxTokensOption;
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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code monkey chat}: a conversation with a model, in a REPL that keeps the context across turns. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        modelTransformer = GatewayOptions.VerboseSaysWhoAnswered.class,
        description = {"Talk with a model in a REPL; each message is sent with the conversation so far.",
                "Commands: /model, /provider, /persona, /clear, /save FILE, /usage, /help, /exit. A line ending in \\ "
                        + "continues on the next. Ctrl-C stops an answer, Ctrl-D quits. History is kept in the state folder.",
                "When stdin is not a terminal, or with --quiet, each line read is a message, with no banner or prompt: "
                        + "stdout carries only the answers, and replies to slash commands and errors go to stderr."},
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

    @Mixin
    MaxTokensOption maxTokens;

    @Option(names = "--no-history", description = "Do not read or save the history file.")
    boolean noHistory;

    private final CliContext context;

    public ChatCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Integer cap = maxTokens.value();
        PrintWriter err = spec.commandLine().getErr();
        GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure,
                gateway.notices(err)));
        ModelChoice choice = ModelChoice.of(new Settings(context), provider, model, persona);
        ChatSession session = new ChatSession(client, choice, taskType, cap, Path.of("").toAbsolutePath());
        if (gateway.quiet || !context.stdin().isTerminal()) {
            // A script's chat: answers alone on stdout, so `printf 'q\n' | monkey chat > answer.md` holds only the answer.
            return new ChatLines(session, spec.commandLine().getOut(), err, context.errInteractive() && !gateway.quiet,
                    context.env()).run(context.stdin().stream());
        }
        try (Terminal terminal = context.terminal().open()) {
            boolean dumb = Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
            Style style = dumb ? Style.plain() : Style.forStream(true, context.env());
            Path history = noHistory ? null : context.paths().stateDir().resolve("chat_history");
            ChatRepl.Options options = new ChatRepl.Options(history, gateway.verbose, !dumb && !gateway.quiet, style,
                    context.env());
            GatewayCatalog catalog = session.catalog();
            ChatCompleter completer = new ChatCompleter(GatewayCatalog.orNone(catalog::modelIds),
                    GatewayCatalog.orNone(catalog::providers), GatewayCatalog.orNone(catalog::personas));
            return new ChatRepl(terminal, session, completer, options).run();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "cannot open the terminal for the chat: " + e.getMessage(), e);
        }
    }
}
