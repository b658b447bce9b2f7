package com.monkeycoder.cli.chat;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A line of the chat REPL that starts with {@code /}: a command to the REPL, not a message to the model. */
public sealed interface SlashCommand {

    /** The commands, as completion offers them. */
    List<String> NAMES = List.of("/model", "/provider", "/persona", "/clear", "/save", "/usage", "/help", "/exit");

    /** {@code /model [NAME]}: show or change the model; {@code default} gives the choice back to the gateway. */
    record Model(String name) implements SlashCommand {
    }

    /** {@code /provider [NAME]}. */
    record Provider(String name) implements SlashCommand {
    }

    /** {@code /persona [NAME]}. */
    record Persona(String name) implements SlashCommand {
    }

    /** {@code /clear}: forget the conversation so far. */
    record Clear() implements SlashCommand {
    }

    /** {@code /save FILE}: the conversation as Markdown, or as JSON when FILE ends in .json. */
    record Save(String file) implements SlashCommand {
    }

    /** {@code /usage}: tokens and cost of this session, and of the gateway's ledger today. */
    record Usage() implements SlashCommand {
    }

    record Help() implements SlashCommand {
    }

    /** {@code /exit} or {@code /quit}. */
    record Exit() implements SlashCommand {
    }

    /** A slash command this REPL does not know, or one used wrongly; {@code message} says which. */
    record Invalid(String message) implements SlashCommand {
    }

    /**
     * The command {@code line} is, or empty when it is a message: it does not start with {@code /}, or starts with
     * {@code //} (the escape for a message that begins with a slash).
     */
    static Optional<SlashCommand> parse(String line) {
        String text = line.strip();
        if (!text.startsWith("/") || text.startsWith("//")) {
            return Optional.empty();
        }
        int space = text.indexOf(' ');
        String name = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        String arg = space < 0 ? null : text.substring(space + 1).strip();
        if (arg != null && arg.isEmpty()) {
            arg = null;
        }
        return Optional.of(switch (name) {
            case "/model" -> new Model(arg);
            case "/provider" -> new Provider(arg);
            case "/persona" -> new Persona(arg);
            case "/clear" -> new Clear();
            case "/save" -> arg == null ? new Invalid("/save needs a file name, e.g. /save chat.md") : new Save(arg);
            case "/usage" -> new Usage();
            case "/help", "/?" -> new Help();
            case "/exit", "/quit" -> new Exit();
            default -> new Invalid("unknown command " + name + " (see /help); to send a message that starts with /, "
                    + "begin it with //");
        });
    }

    /** The text to send for a message line: {@code //etc} sends {@code /etc}. */
    static String messageText(String line) {
        String text = line.strip();
        return text.startsWith("//") ? text.substring(1) : text;
    }
}
