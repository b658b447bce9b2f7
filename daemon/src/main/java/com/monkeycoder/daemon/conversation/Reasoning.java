package com.monkeycoder.daemon.conversation;

/**
 * How much the model may think before it answers: a token budget (Anthropic {@code budget_tokens}, Gemini
 * {@code thinkingBudget}), an effort word ({@code minimal}, {@code low}, {@code medium}, {@code high}), or
 * Anthropic's {@code adaptive} thinking; {@code disabled} when the client turned thinking off explicitly.
 */
public record Reasoning(Integer budgetTokens, String effort, boolean adaptive, boolean disabled) {

    public static Reasoning budget(int tokens) {
        return new Reasoning(tokens, null, false, false);
    }

    public static Reasoning effort(String effort) {
        return new Reasoning(null, effort, false, false);
    }

    /** A budget for providers that take one, from the effort word when no budget was given. */
    public int budgetOr(int maxOutputTokens) {
        if (budgetTokens != null) {
            return budgetTokens;
        }
        int cap = Math.max(1024, maxOutputTokens);
        return switch (effort == null ? "medium" : effort) {
            case "minimal" -> 1024;
            case "low" -> Math.min(cap, 2048);
            case "high", "xhigh", "max" -> Math.min(cap, 16384);
            default -> Math.min(cap, 8192);
        };
    }
}
