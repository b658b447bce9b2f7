package com.monkeycoder.cli.chat;

import com.monkeycoder.shared.wire.ChatMessage;

import java.util.ArrayList;
import java.util.List;

/** The turns of a chat so far, sent whole with each request so the model sees the context. */
public final class Conversation {

    private final List<ChatMessage> messages = new ArrayList<>();

    /** The messages so far followed by {@code next}, as the next request sends them. */
    public List<ChatMessage> with(ChatMessage next) {
        List<ChatMessage> all = new ArrayList<>(messages);
        all.add(next);
        return all;
    }

    /** Records a finished turn: the user's message and the answer. */
    public void add(String user, String assistant) {
        messages.add(ChatMessage.user(user));
        messages.add(ChatMessage.assistant(assistant));
    }

    public void clear() {
        messages.clear();
    }

    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    public int turns() {
        return messages.size() / 2;
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** The conversation for people: a heading per message. */
    public String toMarkdown(String title) {
        StringBuilder md = new StringBuilder("# ").append(title).append('\n');
        for (ChatMessage m : messages) {
            md.append("\n## ").append(m.role().equals("user") ? "You" : "Assistant").append("\n\n").append(m.content().strip())
                    .append('\n');
        }
        return md.toString();
    }
}
