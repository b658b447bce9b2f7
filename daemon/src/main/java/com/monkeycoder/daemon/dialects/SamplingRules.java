package com.monkeycoder.daemon.dialects;

import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.errors.ApiError;

/** The ranges every provider accepts for sampling parameters and output caps, checked once for every dialect. */
public final class SamplingRules {

    private SamplingRules() {
    }

    public static void check(Sampling s, Integer maxTokens, String maxField, String temperatureField, String topPField) {
        if (s.temperature() != null && (s.temperature() < 0 || s.temperature() > 2)) {
            throw ApiError.validation(temperatureField, "must be between 0 and 2");
        }
        if (s.topP() != null && (s.topP() <= 0 || s.topP() > 1)) {
            throw ApiError.validation(topPField, "must be greater than 0 and at most 1");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw ApiError.validation(maxField, "must be at least 1");
        }
        if (s.presencePenalty() != null && (s.presencePenalty() < -2 || s.presencePenalty() > 2)) {
            throw ApiError.validation("presence_penalty", "must be between -2 and 2");
        }
        if (s.frequencyPenalty() != null && (s.frequencyPenalty() < -2 || s.frequencyPenalty() > 2)) {
            throw ApiError.validation("frequency_penalty", "must be between -2 and 2");
        }
    }
}
