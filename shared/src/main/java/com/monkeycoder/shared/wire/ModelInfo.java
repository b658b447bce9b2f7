package com.monkeycoder.shared.wire;

import java.util.List;

/** One entry of {@code GET /v1/models}, in OpenAI's list shape plus our provider and prices. */
public record ModelInfo(
        String id,
        String object,
        long created,
        String ownedBy,
        String provider,
        String model,
        Integer contextWindow,
        Double inputPricePerMillion,
        Double outputPricePerMillion,
        Double cacheReadPricePerMillion,
        Double cacheWritePricePerMillion,
        List<String> aliases,
        List<String> capabilities,
        boolean available) {
}
