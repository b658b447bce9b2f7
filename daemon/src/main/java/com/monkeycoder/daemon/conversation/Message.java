package com.monkeycoder.daemon.conversation;

import java.util.List;

/** One turn of a conversation: who speaks and the ordered parts of what they say. */
public record Message(Role role, List<Part> parts) {

    public Message {
        parts = List.copyOf(parts);
    }

    public static Message user(String text) {
        return new Message(Role.USER, List.of(new Part.Text(text)));
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, List.of(new Part.Text(text)));
    }

    public static Message system(String text) {
        return new Message(Role.SYSTEM, List.of(new Part.Text(text)));
    }

    /** The text parts joined: what a text-only consumer sees of this turn. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Part.Text t) {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    public boolean has(Class<? extends Part> kind) {
        for (Part p : parts) {
            if (kind.isInstance(p)) {
                return true;
            }
        }
        return false;
    }
}
