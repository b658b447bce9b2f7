package com.monkeycoder.cli.chat;

import com.monkeycoder.shared.wire.ChatMessage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The turns of a chat so far, sent whole with each request so the model sees the context. */
public final class Conversation {

    /**
     * One question and its answer.
     *
     * @param model the provider/model that answered, as the gateway reported it; null when it did not say
     */
    public record Turn(String user, String assistant, String model) {
    }

    private final List<Turn> turns = new ArrayList<>();

    /** The messages so far followed by {@code next}, as the next request sends them. */
    public List<ChatMessage> with(ChatMessage next) {
        List<ChatMessage> all = messages();
        all.add(next);
        return all;
    }

    /** Records a finished turn: the user's message, the answer and the model that wrote it. */
    public void add(String user, String assistant, String model) {
        turns.add(new Turn(user, assistant, model));
    }

    public void clear() {
        turns.clear();
    }

    public List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>();
        for (Turn t : turns) {
            messages.add(ChatMessage.user(t.user()));
            messages.add(ChatMessage.assistant(t.assistant()));
        }
        return messages;
    }

    public List<Turn> turnList() {
        return List.copyOf(turns);
    }

    public int turns() {
        return turns.size();
    }

    public boolean isEmpty() {
        return turns.isEmpty();
    }

    /** The models that answered, in the order they first did. */
    public List<String> models() {
        Set<String> models = new LinkedHashSet<>();
        turns.stream().map(Turn::model).filter(m -> m != null).forEach(models::add);
        return List.copyOf(models);
    }

    /**
     * The conversation for people: a heading per message, each answer naming its model, since a chat may switch
     * models on the way (/model), and a title naming them all.
     */
    public String toMarkdown() {
        List<String> models = models();
        StringBuilder md = new StringBuilder("# Chat").append(models.isEmpty() ? "" : " with " + String.join(", ", models))
                .append('\n');
        for (Turn t : turns) {
            md.append("\n## You\n\n").append(t.user().strip()).append('\n');
            md.append("\n## Assistant").append(t.model() == null ? "" : " (" + t.model() + ")").append("\n\n")
                    .append(t.assistant().strip()).append('\n');
        }
        return md.toString();
    }
}
