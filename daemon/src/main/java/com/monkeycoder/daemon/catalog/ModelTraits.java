package com.monkeycoder.daemon.catalog;

import java.util.List;

/**
 * What a catalog model is called besides its id (dated snapshots, short names) and what it can do
 * ({@code chat}, {@code streaming}, {@code tools}, {@code vision}, {@code reasoning}), and the most output tokens
 * it gives in one answer (null when the catalog does not say).
 */
public record ModelTraits(List<String> aliases, List<String> capabilities, Integer maxOutputTokens) {

    public static final ModelTraits NONE = new ModelTraits(List.of(), List.of("chat", "streaming"), null);

    public ModelTraits {
        aliases = List.copyOf(aliases);
        capabilities = List.copyOf(capabilities);
    }
}
