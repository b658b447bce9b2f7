package com.monkeycoder.shared.wire;

/** Sampling parameters a client may set; each is optional (null means the provider's default). */
public record ModelConfig(Double temperature, Integer maxTokens, Double topP) {

    public static final ModelConfig DEFAULTS = new ModelConfig(null, null, null);
}
