package com.monkeycoder.daemon.conversation;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole answer: its ordered parts (text, thinking, tool calls), why it ended, and the tokens the provider
 * reported ({@code usage} null when it reported none).
 */
public record Answer(List<Part> content, FinishReason finish, TokenCount usage) {

    public Answer {
        content = List.copyOf(content);
        finish = finish == null ? FinishReason.STOP : finish;
    }

    public static Answer text(String text, FinishReason finish, TokenCount usage) {
        return new Answer(text.isEmpty() ? List.of() : List.of(new Part.Text(text)), finish, usage);
    }

    /** The text parts joined. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Part p : content) {
            if (p instanceof Part.Text t) {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    public List<Part.ToolCall> toolCalls() {
        List<Part.ToolCall> calls = new ArrayList<>();
        for (Part p : content) {
            if (p instanceof Part.ToolCall c) {
                calls.add(c);
            }
        }
        return calls;
    }

    /** The answer as stream events, in order: how a whole or cached answer is sent to a streaming client. */
    public List<StreamEvent> events() {
        List<StreamEvent> events = new ArrayList<>();
        int tool = 0;
        for (Part p : content) {
            switch (p) {
                case Part.Text t -> events.add(new StreamEvent.TextDelta(t.text()));
                case Part.Thinking t -> {
                    if (!t.text().isEmpty()) {
                        events.add(new StreamEvent.ThinkingDelta(t.text()));
                    }
                    if (t.signature() != null) {
                        events.add(new StreamEvent.ThinkingSignature(t.signature()));
                    }
                }
                case Part.RedactedThinking r -> events.add(new StreamEvent.RedactedThinking(r.data()));
                case Part.ToolCall c -> {
                    events.add(new StreamEvent.ToolCallStart(tool, c.id(), c.name()));
                    events.add(new StreamEvent.ToolCallDelta(tool, c.arguments()));
                    events.add(new StreamEvent.ToolCallEnd(tool));
                    tool++;
                }
                case Part.Image i -> {
                    // models do not answer with images here
                }
                case Part.ToolResult r -> {
                    // never part of an answer
                }
            }
        }
        if (usage != null) {
            events.add(new StreamEvent.UsageReported(usage));
        }
        events.add(new StreamEvent.Finished(finish));
        return events;
    }
}
