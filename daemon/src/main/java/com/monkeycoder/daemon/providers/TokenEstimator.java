package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.shared.Json;

/**
 * Estimates tokens where a provider reported none (the offline demo, a stream cut off) and a request's worst
 * case before it is sent. About four characters a token for English and code, the rule of thumb OpenAI
 * documents; an image counts as {@link #IMAGE_TOKENS}, the most a provider bills for one after resizing.
 * Rows that rely on it are marked estimated in the ledger.
 */
public final class TokenEstimator {

    /** Anthropic bills up to about 1,600 tokens for an image (1.15 megapixels); OpenAI's high detail is similar. */
    public static final long IMAGE_TOKENS = 1_600;

    private TokenEstimator() {
    }

    public static long estimate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return Math.max(1, (text.codePointCount(0, text.length()) + 3) / 4);
    }

    /** Prompt tokens of a request: every part, tool definitions, and the few tokens each message's framing costs. */
    public static long estimate(ConversationRequest request) {
        long total = 3;
        for (Part p : request.system()) {
            total += estimate(p);
        }
        for (Message m : request.messages()) {
            total += 4;
            for (Part p : m.parts()) {
                total += estimate(p);
            }
        }
        for (Tool t : request.tools()) {
            total += switch (t) {
                case Tool.Function f -> 8 + estimate(f.name()) + estimate(f.description())
                        + (f.parameters() == null ? 0 : estimate(Json.write(f.parameters())));
                case Tool.Hosted h -> 8 + estimate(Json.write(h.raw()));
            };
        }
        return total;
    }

    private static long estimate(Part p) {
        return switch (p) {
            case Part.Text t -> estimate(t.text());
            case Part.Image i -> IMAGE_TOKENS;
            case Part.ToolCall c -> 4 + estimate(c.name()) + estimate(c.arguments());
            case Part.ToolResult r -> 4 + r.content().stream().mapToLong(TokenEstimator::estimate).sum();
            case Part.Thinking t -> estimate(t.text());
            case Part.RedactedThinking r -> estimate(r.data());
        };
    }
}
