package com.monkeycoder.cli.chat;

import com.monkeycoder.shared.text.Money;
import com.monkeycoder.cli.output.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.agent.ProjectSessions;
import com.monkeycoder.cli.client.Answers;
import com.monkeycoder.cli.client.Cancellation;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.config.ModelChoice;
import com.monkeycoder.cli.output.Formats;
import com.monkeycoder.cli.write.AtomicFiles;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ChatMessage;
import com.monkeycoder.shared.wire.ExecuteRequest;
import com.monkeycoder.shared.wire.ExecuteResponse;
import com.monkeycoder.shared.wire.ModelConfig;
import com.monkeycoder.shared.wire.TokenUsage;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a chat is, apart from the terminal: the conversation, the model, provider and persona it uses, what it has
 * cost, and what each slash command does to them. The REPL feeds it lines; tests drive it directly.
 */
public final class ChatSession {

    /** Whether the REPL goes on after a command. */
    public enum Next { CONTINUE, EXIT }

    private final GatewayClient client;
    private final GatewayCatalog catalog;
    private final String taskType;
    private final Integer maxTokens;
    private final Path workingDir;
    private final Conversation conversation = new Conversation();
    /** The conversation on the gateway (monkey logs lists it); a new one after /clear. */
    private String sessionId = ProjectSessions.newId();
    private ModelChoice choice;
    private int answers;
    private long promptTokens;
    private long completionTokens;
    private long costMicros;

    /**
     * @param taskType   sent with every message; null for plain conversation
     * @param maxTokens  the output cap of every answer; null for the gateway's
     * @param workingDir where {@code /save} resolves relative file names
     */
    public ChatSession(GatewayClient client, ModelChoice choice, String taskType, Integer maxTokens, Path workingDir) {
        this.client = client;
        this.catalog = new GatewayCatalog(client);
        this.choice = choice;
        this.taskType = taskType;
        this.maxTokens = maxTokens;
        this.workingDir = workingDir;
    }

    /** The gateway's names, for completion. */
    GatewayCatalog catalog() {
        return catalog;
    }

    public Conversation conversation() {
        return conversation;
    }

    public ModelChoice choice() {
        return choice;
    }

    /**
     * Sends {@code text} with the conversation so far and streams the answer to {@code listener}. Only a turn that
     * completes joins the conversation: one that fails or is cancelled leaves it as it was.
     */
    public Answers.Answer ask(String text, Answers.Listener listener, Cancellation cancellation) {
        // The gateway stores the conversation and sends its turns before this one, as many as the model's context
        // window holds; the CLI keeps its own copy only for /save, /usage and the turn count.
        ExecuteRequest request = new ExecuteRequest(taskType, null, choice.persona(), choice.providers(),
                choice.qualifiedModel(), true, null, maxTokens == null ? null : new ModelConfig(null, maxTokens, null),
                List.of(ChatMessage.user(text))).inSession(sessionId);
        Answers.Answer answer;
        try {
            answer = Answers.stream(client, request, listener, cancellation);
        } catch (ExitException refused) {
            throw choice.explain(refused); // a bad default names the file or variable it came from
        }
        conversation.add(text, answer.content(), answeredBy(answer.response()));
        answers++;
        TokenUsage usage = answer.response().usage();
        if (usage != null) {
            promptTokens += usage.promptTokens();
            completionTokens += usage.completionTokens();
            costMicros += Math.round(usage.costUsd() * 1_000_000);
        }
        return answer;
    }

    /** Carries out a slash command, saying what it did on {@code out}. */
    public Next handle(SlashCommand command, PrintWriter out) {
        switch (command) {
            case SlashCommand.Model m -> {
                ModelChoice next = m.name() == null ? choice : choice.withModel(isDefault(m.name()) ? null : m.name());
                if (accept(next.qualifiedModel() == null ? null : () -> catalog.modelProblem(next.qualifiedModel(), next.provider()),
                        "model", "the model stays " + describeModel(), out)) {
                    choice = next;
                    out.println("model: " + describeModel());
                }
            }
            case SlashCommand.Provider p -> {
                ModelChoice next = p.name() == null ? choice : choice.withProvider(isDefault(p.name()) ? null : p.name());
                if (accept(next.provider() == null || next.provider().equals(choice.provider()) ? null
                        : () -> catalog.providerProblem(next.provider()), "provider", "the provider stays "
                        + describeProvider(), out)) {
                    choice = next;
                    out.println("provider: " + describeProvider() + " (model: " + describeModel() + ")");
                }
            }
            case SlashCommand.Persona p -> {
                ModelChoice next = p.name() == null ? choice : choice.withPersona(isDefault(p.name()) ? null : p.name());
                if (accept(next.persona() == null || next.persona().equals(choice.persona()) ? null
                        : () -> catalog.personaProblem(next.persona()), "persona", "the persona stays "
                        + describePersona(), out)) {
                    choice = next;
                    out.println("persona: " + describePersona());
                }
            }
            case SlashCommand.Clear c -> {
                int turns = conversation.turns();
                conversation.clear();
                sessionId = ProjectSessions.newId();
                out.println("Cleared the conversation (" + turns + (turns == 1 ? " turn" : " turns")
                        + "); the next message starts afresh.");
            }
            case SlashCommand.Save s -> save(s.file(), out);
            case SlashCommand.Usage u -> usage(out);
            case SlashCommand.Help h -> help(out);
            case SlashCommand.Exit e -> {
                return Next.EXIT;
            }
            case SlashCommand.Invalid i -> out.println("monkey: " + i.message());
        }
        out.flush();
        return Next.CONTINUE;
    }

    /**
     * Whether a change may be made: {@code check} (null: nothing to check) finds no problem. A problem, or a gateway
     * that cannot be asked, is said on one line with what stays as it was.
     */
    private static boolean accept(java.util.function.Supplier<java.util.Optional<String>> check, String what,
                                  String stays, PrintWriter out) {
        if (check == null) {
            return true;
        }
        java.util.Optional<String> problem;
        try {
            problem = check.get();
        } catch (ExitException e) {
            problem = java.util.Optional.of("cannot check the " + what + " with the gateway: " + SafeText.of(e.getMessage()));
        }
        problem.ifPresent(p -> out.println("monkey: " + p + "; " + stays));
        return problem.isEmpty();
    }

    private String describeProvider() {
        return choice.provider() == null ? "the gateway's choice" : choice.provider();
    }

    private String describePersona() {
        return choice.persona() == null ? "the gateway's default" : choice.persona();
    }

    /** provider/model as the gateway reported the answer's, for the transcript. */
    private static String answeredBy(ExecuteResponse response) {
        if (response == null || response.modelUsed() == null) {
            return null;
        }
        return response.providerUsed() == null ? response.modelUsed() : response.providerUsed() + "/" + response.modelUsed();
    }

    /** "demo/monkey-demo" or "the gateway's choice", for the welcome line and /model. */
    public String describeModel() {
        String model = choice.qualifiedModel();
        if (model != null) {
            return model;
        }
        return choice.provider() == null ? "the gateway's choice" : choice.provider() + "'s default";
    }

    private void save(String file, PrintWriter out) {
        if (conversation.isEmpty()) {
            out.println("Nothing to save yet.");
            return;
        }
        Path target = workingDir.resolve(file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file)
                .toAbsolutePath().normalize();
        Path folder = target.getParent();
        if (!Files.isDirectory(folder)) {
            // A mistyped path should not leave a trail of new folders behind: only an existing folder is written to.
            out.println("monkey: cannot save to " + target + ": " + (Files.exists(folder) ? folder + " is not a folder"
                    : "the folder " + folder + " does not exist (create it first)"));
            return;
        }
        String text;
        if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
            ObjectNode doc = Json.mapper().createObjectNode();
            doc.put("model", choice.qualifiedModel());
            doc.put("provider", choice.provider());
            doc.put("persona", choice.persona());
            ArrayNode messages = doc.putArray("messages");
            for (Conversation.Turn t : conversation.turnList()) {
                messages.addObject().put("role", "user").put("content", t.user());
                ObjectNode answer = messages.addObject().put("role", "assistant").put("content", t.assistant());
                if (t.model() != null) {
                    answer.put("model", t.model());
                }
            }
            text = doc.toPrettyString() + "\n";
        } else {
            text = conversation.toMarkdown();
        }
        try {
            AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
            out.println("Saved " + conversation.turns() + (conversation.turns() == 1 ? " turn" : " turns") + " to " + target);
        } catch (IOException e) {
            out.println("monkey: cannot save to " + target + ": " + e.getMessage());
        }
    }

    private void usage(PrintWriter out) {
        out.println("This session: " + answers + (answers == 1 ? " answer" : " answers") + " · tokens "
                + Formats.count(promptTokens) + " in / " + Formats.count(completionTokens) + " out · cost "
                + Money.format(costMicros));
        try {
            JsonNode totals = client.get("/v1/billing/usage?days=1").path("totals");
            long requests = totals.path("requests").asLong();
            out.println("Gateway, last 24 hours: " + Formats.count(requests) + (requests == 1 ? " request" : " requests") + " · tokens "
                    + Formats.count(totals.path("prompt_tokens").asLong()) + " in / "
                    + Formats.count(totals.path("completion_tokens").asLong()) + " out · cost "
                    + Money.format(totals.path("cost_micros").asLong()));
        } catch (ExitException e) {
            out.println("monkey: cannot read the gateway's usage: " + SafeText.of(e.getMessage()));
        }
    }

    private static void help(PrintWriter out) {
        List<String> lines = new ArrayList<>(List.of(
                "/model [NAME]      show or change the model (provider/model; 'default' lets the gateway choose)",
                "/provider [NAME]   show or change the provider",
                "/persona [NAME]    show or change the persona (see: monkey personas)",
                "/clear             forget the conversation so far",
                "/save FILE         save the conversation (Markdown; JSON when FILE ends in .json)",
                "/usage             tokens and cost of this session and of the last 24 hours",
                "/exit              quit (or Ctrl-D)",
                "A line ending in \\ continues on the next line; pasted text may span lines.",
                "Ctrl-C stops an answer; the conversation stays as it was before it. Start a message with // to send",
                "a line that begins with /."));
        lines.forEach(out::println);
    }

    private static boolean isDefault(String name) {
        return name.equals("default") || name.equals("-");
    }

    /** Requests answered, for tests. */
    int answers() {
        return answers;
    }
}
