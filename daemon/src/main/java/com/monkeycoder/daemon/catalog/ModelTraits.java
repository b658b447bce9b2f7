package com.monkeycoder.daemon.catalog;

import java.util.List;

/**
 * What a catalog model is called besides its id (dated snapshots, short names) and what it can do
 * ({@code chat}, {@code streaming}, {@code tools}, {@code vision}, {@code reasoning}).
 */
public record ModelTraits(List<String> aliases, List<String> capabilities) {

    public static final ModelTraits NONE = new ModelTraits(List.of(), List.of("chat", "streaming"));

    public ModelTraits {
        aliases = List.copyOf(aliases);
        capabilities = List.copyOf(capabilities);
    }
}
