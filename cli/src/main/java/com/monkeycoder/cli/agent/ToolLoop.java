package com.monkeycoder.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.project.ToolCall;
import com.monkeycoder.cli.project.ToolResult;
import com.monkeycoder.cli.project.Toolbox;
import com.monkeycoder.shared.Json;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * A task worked through the gateway's tool calling on {@code /v1/execute}: each answer that ends in tool calls has
 * them run here, against the project, and the results sent back in the next request, until the model answers
 * without calling a tool. The whole exchange travels in every request (the gateway keeps no state between them);
 * with a session id, the gateway adds the stored conversation in front and stores only the task and the final
 * answer.
 */
public final class ToolLoop {

    /** Rounds beyond the tool budget's calls, for a model that keeps calling after the budget said stop. */
    static final int EXTRA_ROUNDS = 5;

    /** The final answer, and the response that carried it. */
    public record Outcome(String text, JsonNode response, int rounds) {
    }

    private final GatewayClient client;
    private final Toolbox toolbox;
    private final int maxRounds;
    private final Consumer<String> verbose;

    /** {@code verbose} receives one line per tool call (name, argument, bytes), or is a no-op. */
    public ToolLoop(GatewayClient client, Toolbox toolbox, int maxCalls, Consumer<String> verbose) {
        this.client = client;
        this.toolbox = toolbox;
        this.maxRounds = maxCalls + EXTRA_ROUNDS;
        this.verbose = verbose;
    }

    /**
     * Runs the loop. {@code request} holds everything but the messages and tools (model, persona, task type,
     * session id, sampling); {@code messages} the conversation so far, to which the rounds are added.
     */
    public Outcome run(ObjectNode request, ArrayNode messages) {
        for (int round = 1; round <= maxRounds; round++) {
            ObjectNode body = request.deepCopy();
            body.set("messages", messages);
            body.set("tools", Json.mapper().valueToTree(toolbox.definitions()));
            body.put("tool_choice", "auto");
            body.put("stream", false);
            boolean first = round == 1;
            JsonNode response = client.post("/v1/execute", body, "X-Monkey-History", history -> {
                if (first && history != null && !history.endsWith("dropped=0")) {
                    verbose.accept("history: " + history.replace("kept=", "kept ").replace(" dropped=", " messages, dropped ")
                            + " (the oldest, to fit the model's context window)");
                }
            });
            if (!"tool_calls".equals(response.path("finish_reason").asText())) {
                return new Outcome(response.path("content").asText(""), response, round);
            }
            JsonNode parts = response.path("parts");
            ArrayNode results = Json.mapper().createArrayNode();
            for (JsonNode part : parts) {
                if (!"tool_call".equals(part.path("type").asText())) {
                    continue;
                }
                ToolCall call = ToolCall.fromPart(part);
                ToolResult result = toolbox.call(call);
                verbose.accept(describe(call, result));
                results.add(result.toPart(call.id()));
            }
            if (results.isEmpty()) {
                throw new ExitException(ExitCodes.PROVIDER_OR_NETWORK, "the model said it called tools but sent no "
                        + "tool call; try again, or another model");
            }
            messages.addObject().put("role", "assistant").set("content", parts.deepCopy());
            messages.addObject().put("role", "user").set("content", results);
        }
        throw new ExitException(ExitCodes.UNEXPECTED, "the model kept calling tools for " + maxRounds
                + " rounds without an answer; nothing was written");
    }

    /** {@code read_file src/app.py · 1,204 bytes}, or the error's first line. */
    static String describe(ToolCall call, ToolResult result) {
        String argument = "";
        try {
            JsonNode args = Json.mapper().readTree(call.arguments() == null ? "{}" : call.arguments());
            for (String name : new String[] {"path", "folder", "query", "glob"}) {
                if (args.hasNonNull(name)) {
                    argument = " " + args.path(name).asText();
                    break;
                }
            }
        } catch (java.io.IOException unreadable) {
            argument = " (arguments not JSON)";
        }
        String outcome = result.isError()
                ? "refused: " + result.text().lines().findFirst().orElse("")
                : String.format("%,d bytes", result.bytesRead());
        return SafeText.of("tool " + call.name() + argument + " · " + outcome);
    }

    /** Where {@code --verbose} lines go: {@code err} with a prefix, or nowhere. */
    public static Consumer<String> printer(PrintWriter err, boolean on) {
        return on ? line -> {
            err.println("monkey: " + line);
            err.flush();
        } : line -> { };
    }
}
