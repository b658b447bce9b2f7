package com.monkeycoder.daemon.conversation;

/** Sampling parameters; null means the provider's default. */
public record Sampling(Double temperature, Double topP, Integer topK, Long seed, Double presencePenalty,
                       Double frequencyPenalty) {

    public static final Sampling DEFAULTS = new Sampling(null, null, null, null, null, null);

    public static Sampling of(Double temperature, Double topP) {
        return new Sampling(temperature, topP, null, null, null, null);
    }
}
