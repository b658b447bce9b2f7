package com.monkeycoder.daemon.history;

import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.providers.TokenEstimator;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Conversations that continue: a request naming one gets its stored turns put before its own messages (as many as
 * the model's context window leaves room for), and its final answer is stored with its task afterwards. What is
 * stored of a request is its task (the text of its first user message) and the final answer's text: tool calls,
 * tool results and the round trips between them are not, so a continued conversation carries what was asked and
 * what was concluded, and each new request sends its own tool turns as it always does.
 */
public final class Conversations {

    /** {@code ses_} and 8 to 64 letters, digits, {@code _} or {@code -}. */
    public static final Pattern ID = Pattern.compile("ses_[A-Za-z0-9_-]{8,64}");
    /** The longest title, in characters. */
    public static final int TITLE_CHARS = 80;
    /**
     * The window assumed for a model whose context window the catalog does not know (a local Ollama model): small,
     * since such models often run with a short context, and a bound on what is read from the store.
     */
    public static final int UNKNOWN_WINDOW = 32_768;

    private final ConversationStore store;
    private final Clock clock;

    public Conversations(ConversationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A request with its history, and how many stored messages went with it and were left out. */
    public record Resumed(ConversationRequest request, int kept, int dropped) {
    }

    /** A conversation and its messages, oldest first. */
    public record Transcript(StoredConversation conversation, List<StoredMessage> messages) {
    }

    public static boolean wellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * {@code request} with the owner's conversation {@code id} before its own messages (after any leading system
     * messages), as many of the newest task/answer pairs as fit {@code contextWindow} once the request itself and
     * {@code outputCap} are counted. A conversation no one has yet is empty (the first append creates it).
     *
     * @param contextWindow the routed model's window in tokens, or null when the catalog does not know it
     * @throws ConversationNotFound when another owner has that id
     */
    public Resumed resume(String ownerId, String id, ConversationRequest request, Integer contextWindow,
                          long outputCap) throws SQLException, ConversationNotFound {
        Optional<StoredConversation> mine = store.find(ownerId, id);
        if (mine.isEmpty()) {
            if (store.exists(id)) {
                throw new ConversationNotFound(id);
            }
            return new Resumed(request, 0, 0);
        }
        long window = contextWindow == null ? UNKNOWN_WINDOW : contextWindow;
        long budget = window - TokenEstimator.estimate(request) - Math.max(0, outputCap);
        List<StoredMessage> kept = budget <= 0 ? List.of()
                : HistoryWindow.fit((before, limit) -> store.newestFirst(ownerId, id, before, limit), budget);
        int dropped = Math.max(0, mine.get().messageCount() - kept.size());
        if (kept.isEmpty()) {
            return new Resumed(request, 0, dropped);
        }
        return new Resumed(request.withMessages(withHistory(request.messages(), kept)), kept.size(), dropped);
    }

    private static List<Message> withHistory(List<Message> own, List<StoredMessage> history) {
        int leadingSystem = 0;
        while (leadingSystem < own.size() && own.get(leadingSystem).role() == Role.SYSTEM) {
            leadingSystem++;
        }
        List<Message> out = new ArrayList<>(own.size() + history.size());
        out.addAll(own.subList(0, leadingSystem));
        for (StoredMessage m : history) {
            out.add(m.role() == Speaker.USER ? Message.user(m.text()) : Message.assistant(m.text()));
        }
        out.addAll(own.subList(leadingSystem, own.size()));
        return out;
    }

    /**
     * Stores {@code asked}'s task and {@code answer} in the owner's conversation {@code id}, creating it when no one
     * has it. Nothing is stored for an answer that asks for tools (a round trip, not the final answer) or ended by
     * an error, nor when the task or the answer has no text. Returns whether the exchange was stored.
     *
     * @param asked the request as the caller sent it, without the history {@link #resume} put before it
     * @param model the {@code provider/model} that answered
     */
    public boolean record(String ownerId, String id, ConversationRequest asked, Answer answer, String model)
            throws SQLException {
        if (answer.finish() == FinishReason.TOOL_CALLS || answer.finish() == FinishReason.ERROR) {
            return false;
        }
        Optional<String> task = task(asked);
        String text = answer.text();
        if (task.isEmpty() || text.isBlank()) {
            return false;
        }
        return store.append(ownerId, id, new Exchange(task.get(), text, model), clock.millis());
    }

    /** The text of the request's first user message that has any. */
    static Optional<String> task(ConversationRequest request) {
        for (Message m : request.messages()) {
            if (m.role() == Role.USER && !m.text().isBlank()) {
                return Optional.of(m.text());
            }
        }
        return Optional.empty();
    }

    /** The owner's conversations, most recently updated first. */
    public List<StoredConversation> list(String ownerId, int limit, Long beforeUpdatedMs) throws SQLException {
        return store.list(ownerId, limit, beforeUpdatedMs);
    }

    /** The owner's conversation with its messages; empty when the owner has none with that id. */
    public Optional<Transcript> transcript(String ownerId, String id) throws SQLException {
        Optional<StoredConversation> conversation = store.find(ownerId, id);
        if (conversation.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Transcript(conversation.get(), store.messages(ownerId, id)));
    }

    /** Deletes the owner's conversation and its messages; false when the owner has none with that id. */
    public boolean delete(String ownerId, String id) throws SQLException {
        return store.delete(ownerId, id);
    }

    /** A task as a title: whitespace runs as one space, at most {@link #TITLE_CHARS} characters. */
    static String title(String task) {
        String flat = task.strip().replaceAll("\\s+", " ");
        if (flat.codePointCount(0, flat.length()) <= TITLE_CHARS) {
            return flat;
        }
        return flat.substring(0, flat.offsetByCodePoints(0, TITLE_CHARS - 1)) + "…";
    }
}
