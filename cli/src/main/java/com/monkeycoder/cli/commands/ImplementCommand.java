package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.ErrorMapping;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.Formats;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseEvent;
import com.monkeycoder.shared.wire.ExecuteRequest;
import com.monkeycoder.shared.wire.ExecuteResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code monkey implement "<task>"}: sends a coding task and streams the answer to stdout as it arrives. */
@Command(name = "implement", mixinStandardHelpOptions = true,
        description = "Send a coding task to the gateway and stream the answer.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  monkey implement --provider demo \"create a REST API\"",
                "  monkey implement --model openai/gpt-4.1-mini --persona backend \"add pagination to GET /users\"",
                "  monkey implement --json \"write a Makefile\" | jq -r .content"
        })
public final class ImplementCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(arity = "1..*", paramLabel = "TASK", description = "What to build, in words.")
    List<String> task;

    @Option(names = "--persona", paramLabel = "NAME",
            description = "Who answers: developer (default), backend, frontend, devops, tester, reviewer, docs.")
    String persona;

    @Option(names = "--provider", paramLabel = "NAME", description = "Use this provider (openai, groq, ..., demo for the offline demo).")
    String provider;

    @Option(names = "--model", paramLabel = "MODEL", description = "Use this model: provider/model or a model name (see: monkey models).")
    String model;

    @Option(names = "--no-stream", description = "Wait for the whole answer instead of streaming it.")
    boolean noStream;

    @Option(names = "--json", description = "Print the gateway's whole response as JSON (implies --no-stream).")
    boolean json;

    private final CliContext context;

    public ImplementCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String prompt = String.join(" ", task).strip();
        if (prompt.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "the task is empty: say what to build, e.g. monkey implement \"create a REST API\"");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Connection connection = Connections.resolve(context, gateway.baseUrl, err);
        GatewayClient client = new GatewayClient(connection);
        boolean stream = !noStream && !json;
        ExecuteRequest request = new ExecuteRequest("code_generation", prompt, persona,
                provider == null ? null : List.of(provider), qualifiedModel(), stream, null, null, null);

        if (!stream) {
            JsonNode response = client.post("/v1/execute", request);
            if (json) {
                JsonOutput.print(out, response);
            } else {
                String content = response.path("content").asText("");
                out.print(content);
                if (!content.endsWith("\n")) {
                    out.println();
                }
                out.flush();
                explain(err, Json.mapper().convertValue(response, ExecuteResponse.class));
            }
            return ExitCodes.OK;
        }

        StreamPrinter printer = new StreamPrinter(out);
        try {
            client.stream("/v1/execute", request, printer::onEvent);
        } catch (ExitException e) {
            printer.endLine(); // keep the text that arrived, on its own line before the error
            throw e;
        }
        if (printer.done == null) {
            printer.endLine();
            throw new ExitException(ExitCodes.PROVIDER_OR_NETWORK, "the answer stream ended before it was complete");
        }
        explain(err, printer.done);
        return ExitCodes.OK;
    }

    /** {@code --provider openai --model gpt-4.1} means openai/gpt-4.1. */
    private String qualifiedModel() {
        if (model == null) {
            return null;
        }
        return provider != null && !model.startsWith(provider + "/") ? provider + "/" + model : model;
    }

    private void explain(PrintWriter err, ExecuteResponse done) {
        if (!gateway.verbose || done == null) {
            return;
        }
        var usage = done.usage();
        err.println("monkey: " + done.providerUsed() + "/" + done.modelUsed()
                + (usage == null ? "" : " · " + usage.promptTokens() + " in / " + usage.completionTokens() + " out tokens · "
                + Formats.usd(Math.round(usage.costUsd() * 1_000_000)))
                + " · " + done.requestId());
        err.flush();
    }

    /** Prints deltas as they come and keeps the final {@code done} event. */
    private static final class StreamPrinter {
        private final PrintWriter out;
        private boolean endsWithNewline = true;
        private ExecuteResponse done;

        StreamPrinter(PrintWriter out) {
            this.out = out;
        }

        void onEvent(SseEvent event) throws IOException {
            switch (event.event()) {
                case "delta" -> {
                    String text = Json.mapper().readTree(event.data()).path("content").asText("");
                    if (!text.isEmpty()) {
                        out.print(text);
                        out.flush();
                        endsWithNewline = text.endsWith("\n");
                    }
                }
                case "done" -> {
                    done = Json.mapper().readValue(event.data(), ExecuteResponse.class);
                    endLine();
                }
                case "error" -> {
                    endLine();
                    JsonNode body = Json.mapper().readTree(event.data());
                    throw ErrorMapping.fromResponse(body.path("error").path("statusCode").asInt(502), body);
                }
                default -> {
                    // "start" and events newer than this CLI carry nothing to print
                }
            }
        }

        /** Ends the answer's last line, if it has one, so what follows (an error, the prompt) starts on its own. */
        void endLine() {
            if (!endsWithNewline) {
                out.println();
                out.flush();
                endsWithNewline = true;
            }
        }
    }
}
