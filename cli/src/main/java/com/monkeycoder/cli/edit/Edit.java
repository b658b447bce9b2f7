package com.monkeycoder.cli.edit;

/** One change a model proposes to a project file; paths are relative to the project folder. */
public sealed interface Edit {

    String path();

    /** Replaces the one occurrence of {@code search} in an existing file with {@code replace}. */
    record Replace(String path, String search, String replace) implements Edit {
    }

    /** A new file with its whole content. */
    record Create(String path, String content) implements Edit {
    }
}
