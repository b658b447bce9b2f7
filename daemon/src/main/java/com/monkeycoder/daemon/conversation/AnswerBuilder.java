package com.monkeycoder.daemon.conversation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a streamed answer from its events, in order, and refuses a stream that breaks the event order:
 * a tool-call delta or end for a call that was never started, or a call started twice. The gateway sends
 * nothing out of order to a client, whatever a provider streams.
 */
public final class AnswerBuilder {

    /** A provider's stream broke the order every dialect relies on. */
    public static final class OutOfOrder extends Exception {
        OutOfOrder(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Object> parts = new ArrayList<>(); // Part or a builder below, in arrival order
    private final Map<Integer, CallInProgress> calls = new HashMap<>();
    private StringBuilder text;
    private ThinkingInProgress thinking;
    private TokenCount usage;
    private FinishReason finish;
    private boolean sawAnything;

    private static final class CallInProgress {
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();
        boolean ended;

        CallInProgress(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private static final class ThinkingInProgress {
        final StringBuilder text = new StringBuilder();
        String signature;
    }

    /** Takes the next event; throws when it does not fit the events before it. */
    public void accept(StreamEvent event) throws OutOfOrder {
        switch (event) {
            case StreamEvent.TextDelta d -> {
                sawAnything = true;
                thinking = null;
                if (text == null) {
                    text = new StringBuilder();
                    parts.add(text);
                }
                text.append(d.text());
            }
            case StreamEvent.ThinkingDelta d -> {
                sawAnything = true;
                text = null;
                if (thinking == null || thinking.signature != null) {
                    thinking = new ThinkingInProgress();
                    parts.add(thinking);
                }
                thinking.text.append(d.text());
            }
            case StreamEvent.ThinkingSignature s -> {
                sawAnything = true;
                text = null;
                if (thinking == null) {
                    thinking = new ThinkingInProgress(); // a signature alone (Gemini signs without visible thoughts)
                    parts.add(thinking);
                }
                thinking.signature = thinking.signature == null ? s.signature() : thinking.signature + s.signature();
            }
            case StreamEvent.RedactedThinking r -> {
                sawAnything = true;
                text = null;
                thinking = null;
                parts.add(new Part.RedactedThinking(r.data()));
            }
            case StreamEvent.ToolCallStart s -> {
                sawAnything = true;
                text = null;
                thinking = null;
                if (calls.containsKey(s.index())) {
                    throw new OutOfOrder("tool call " + s.index() + " was started twice");
                }
                if (s.name() == null || s.name().isEmpty()) {
                    throw new OutOfOrder("tool call " + s.index() + " has no name");
                }
                CallInProgress call = new CallInProgress(s.id(), s.name());
                calls.put(s.index(), call);
                parts.add(call);
            }
            case StreamEvent.ToolCallDelta d -> {
                CallInProgress call = calls.get(d.index());
                if (call == null || call.ended) {
                    throw new OutOfOrder("arguments for tool call " + d.index() + ", which was not open");
                }
                call.arguments.append(d.arguments());
            }
            case StreamEvent.ToolCallEnd e -> {
                CallInProgress call = calls.get(e.index());
                if (call == null || call.ended) {
                    throw new OutOfOrder("end of tool call " + e.index() + ", which was not open");
                }
                call.ended = true;
                if (!isJsonObject(call.arguments)) {
                    throw new OutOfOrder("tool call " + e.index() + " (" + call.name + ") has arguments that are not a JSON object");
                }
            }
            case StreamEvent.UsageReported u -> usage = u.usage();
            case StreamEvent.Finished f -> finish = f.reason();
        }
    }

    /**
     * Checks a whole answer as {@link #accept} checks a stream: every tool call has a name and arguments that are
     * a JSON object, so no dialect passes on (or silently empties) arguments a client cannot parse.
     */
    public static void checkWhole(Answer answer) throws OutOfOrder {
        for (Part p : answer.content()) {
            if (p instanceof Part.ToolCall c) {
                if (c.name() == null || c.name().isEmpty()) {
                    throw new OutOfOrder("tool call " + c.id() + " has no name");
                }
                if (!isJsonObject(c.arguments() == null ? "" : c.arguments())) {
                    throw new OutOfOrder("tool call " + c.id() + " (" + c.name()
                            + ") has arguments that are not a JSON object");
                }
            }
        }
    }

    private static boolean isJsonObject(CharSequence arguments) {
        if (arguments.isEmpty()) {
            return true;
        }
        try {
            return com.monkeycoder.shared.Json.mapper().readTree(arguments.toString()).isObject();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether any part of an answer arrived (text, thinking or a tool call). */
    public boolean started() {
        return sawAnything;
    }

    public TokenCount usage() {
        return usage;
    }

    public FinishReason finish() {
        return finish;
    }

    /** The answer so far (all of it once the stream ended). */
    public Answer build() {
        List<Part> out = new ArrayList<>();
        for (Object p : parts) {
            switch (p) {
                case StringBuilder sb -> out.add(new Part.Text(sb.toString()));
                case ThinkingInProgress t -> out.add(new Part.Thinking(t.text.toString(), t.signature));
                case CallInProgress c -> out.add(new Part.ToolCall(c.id, c.name, c.arguments.toString()));
                case Part part -> out.add(part);
                default -> throw new IllegalStateException("unexpected part " + p);
            }
        }
        return new Answer(out, finish, usage);
    }

    /** The text so far, for estimates when a stream broke. */
    public String text() {
        return build().text();
    }
}
