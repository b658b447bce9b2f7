package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.shared.Json;

/**
 * Estimates tokens where a provider reported none (the offline demo, a stream cut off) and a request's worst
 * case before it is sent. It errs high, since a hold below the real cost is money the operator may not get back:
 * ASCII text (English, code) at four characters a token, the rule of thumb OpenAI documents; every other code
 * point of the Basic Multilingual Plane (Chinese, Japanese, Korean, Cyrillic, accents) at one token each, which is
 * what BPE tokenizers spend on CJK or more than they do; and every code point above it (emoji, rare ideographs)
 * at two, since those are four UTF-8 bytes that tokenizers split into two or three pieces. An image counts as
 * {@link #IMAGE_TOKENS}. Rows that rely on it are marked estimated in the ledger.
 */
public final class TokenEstimator {

    /**
     * The most any vision model of the catalog bills for one image: OpenAI's gpt-4o-mini at high detail bills
     * 2,833 tokens plus 5,667 per 512-pixel tile, and the largest image it takes (scaled to 768 x 2048) has 8 tiles:
     * 2,833 + 8 x 5,667 = 48,169. (Anthropic bills at most about 1,600 for an image, Gemini 258 per tile.)
     */
    public static final long IMAGE_TOKENS = 48_169;

    private TokenEstimator() {
    }

    public static long estimate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long ascii = 0;
        long other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 0x80) {
                ascii++;
            } else {
                other += Character.isSupplementaryCodePoint(cp) ? 2 : 1;
            }
            i += Character.charCount(cp);
        }
        return Math.max(1, (ascii + 3) / 4 + other);
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
