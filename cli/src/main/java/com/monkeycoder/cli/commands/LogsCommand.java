package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code monkey logs}: the conversations the gateway stores for you (every {@code implement} in a project is one;
 * {@code -c} continues the last), {@code logs show ID} one of them, {@code logs rm ID} deletes one.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "List your stored conversations (monkey implement -c continues a project's last one).",
        subcommands = {LogsCommand.Show.class, LogsCommand.Remove.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey logs",
                "  monkey logs show ses_4fQ2x9TmKp0aZr7LwB1cYd3e",
                "  monkey logs rm ses_4fQ2x9TmKp0aZr7LwB1cYd3e",
                "  monkey logs --json | jq -r '.sessions[].id'"})
public final class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print the gateway's list as JSON.")
    boolean json;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "How many, newest first (1 to 100; default 20).")
    int limit = 20;

    private final CliContext context;

    public LogsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > 100) {
            throw new ExitException(ExitCodes.USAGE, "--limit must be between 1 and 100");
        }
        GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure,
                gateway.notices(spec.commandLine().getErr())));
        JsonNode list = client.get("/v1/sessions?limit=" + limit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, list);
            return ExitCodes.OK;
        }
        Table table = new Table("ID", "UPDATED", "MESSAGES", "MODEL", "TITLE").rightAlign(2);
        for (JsonNode s : list.path("sessions")) {
            table.row(s.path("id").asText(), context.localTimes().minute(instant(s.path("updated_ms").asLong())),
                    s.path("message_count").asInt(), SafeText.of(s.path("model").asText("")),
                    SafeText.of(s.path("title").asText("")));
        }
        if (table.isEmpty()) {
            gateway.notices(spec.commandLine().getErr()).println("No conversations yet: monkey implement in a project starts one.");
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
        table.print(out);
        return ExitCodes.OK;
    }

    private static String instant(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    /** {@code monkey logs show ID}: one conversation, turn by turn. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one stored conversation.",
            footerHeading = "%nExamples:%n", footer = {"  monkey logs show ses_4fQ2x9TmKp0aZr7LwB1cYd3e",
            "  monkey logs show ses_4fQ2x9TmKp0aZr7LwB1cYd3e --json"})
    public static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        GatewayOptions gateway;

        @Parameters(paramLabel = "ID", description = "The conversation (monkey logs lists them).")
        String id;

        @Option(names = "--json", description = "Print the gateway's answer as JSON.")
        boolean json;

        private final CliContext context;

        public Show(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure,
                    gateway.notices(spec.commandLine().getErr())));
            JsonNode session = client.get("/v1/sessions/" + checked(id));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, session);
                return ExitCodes.OK;
            }
            out.println("# " + SafeText.of(session.path("title").asText("")));
            out.println();
            out.println(session.path("id").asText() + " · " + session.path("message_count").asInt() + " messages · "
                    + context.localTimes().minute(instant(session.path("updated_ms").asLong())));
            for (JsonNode m : session.path("messages")) {
                out.println();
                boolean user = "user".equals(m.path("role").asText());
                out.println("## " + (user ? "You" : "Assistant (" + SafeText.of(m.path("model").asText("")) + ")") + " · "
                        + context.localTimes().minute(instant(m.path("created_ms").asLong())));
                out.println();
                out.println(SafeText.of(m.path("content").asText("")).stripTrailing());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code monkey logs rm ID}: deletes one conversation and its messages. */
    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete one stored conversation.",
            footerHeading = "%nExamples:%n", footer = {"  monkey logs rm ses_4fQ2x9TmKp0aZr7LwB1cYd3e"})
    public static final class Remove implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        GatewayOptions gateway;

        @Parameters(paramLabel = "ID", description = "The conversation (monkey logs lists them).")
        String id;

        private final CliContext context;

        public Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure,
                    gateway.notices(spec.commandLine().getErr())));
            client.delete("/v1/sessions/" + checked(id));
            gateway.notices(spec.commandLine().getErr()).println("Deleted " + id + ".");
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
    }

    /** An id goes into a URL path: only the characters an id has. */
    static String checked(String id) {
        if (id == null || !id.matches("ses_[A-Za-z0-9_-]{8,64}")) {
            throw new ExitException(ExitCodes.USAGE, "a conversation id looks like ses_ab12cd34 (monkey logs lists them)");
        }
        return id;
    }
}
