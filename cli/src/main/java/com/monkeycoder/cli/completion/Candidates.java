package com.monkeycoder.cli.completion;

import java.util.Iterator;
import java.util.List;

/**
 * picocli {@code completionCandidates} classes. picocli creates them whenever it builds the command model, so each
 * reads its list only when iterated: starting {@code monkey} stays as fast as before.
 */
public final class Candidates {

    private Candidates() {
    }

    /** The catalog's providers. */
    public static final class Providers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return CatalogNames.providers().iterator();
        }
    }

    /** The catalog's models, as provider/model. */
    public static final class Models implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return CatalogNames.models().iterator();
        }
    }

    /** The built-in personas. */
    public static final class Personas implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return CatalogNames.personas().iterator();
        }
    }

    /** The built-in task types. */
    public static final class TaskTypes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return CatalogNames.taskTypes().iterator();
        }
    }

    /** The daemon's modes. */
    public static final class Modes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("local", "gateway").iterator();
        }
    }
}
