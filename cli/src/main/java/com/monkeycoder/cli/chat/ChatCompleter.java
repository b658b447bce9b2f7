package com.monkeycoder.cli.chat;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;
import java.util.function.Supplier;

/**
 * Tab completion in the chat REPL: the slash commands, then the names {@code /model}, {@code /provider} and
 * {@code /persona} take. Names come from the gateway when first needed; a message (no leading slash) gets none.
 */
final class ChatCompleter implements Completer {

    private final Supplier<List<String>> models;
    private final Supplier<List<String>> providers;
    private final Supplier<List<String>> personas;

    ChatCompleter(Supplier<List<String>> models, Supplier<List<String>> providers, Supplier<List<String>> personas) {
        this.models = models;
        this.providers = providers;
        this.personas = personas;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        if (words.isEmpty() || !words.getFirst().startsWith("/")) {
            return;
        }
        if (line.wordIndex() == 0) {
            SlashCommand.NAMES.forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        if (line.wordIndex() != 1) {
            return;
        }
        List<String> names = switch (words.getFirst()) {
            case "/model" -> models.get();
            case "/provider" -> providers.get();
            case "/persona" -> personas.get();
            default -> List.of();
        };
        names.forEach(name -> candidates.add(new Candidate(name)));
    }
}
