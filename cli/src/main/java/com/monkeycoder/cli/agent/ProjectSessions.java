package com.monkeycoder.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.write.AtomicFiles;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The last conversation of each project folder, so {@code monkey implement -c} continues it: a small JSON map in
 * the state folder ({@code sessions.json}, project's real path → session id). The conversations themselves live on
 * the gateway; this file only remembers which one a folder had last. Kept on this machine, so no folder path ever
 * reaches a gateway.
 */
public final class ProjectSessions {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;

    public ProjectSessions(Path stateDir) {
        this.file = stateDir.resolve("sessions.json");
    }

    /** A new conversation's id: {@code ses_} and 24 random letters and digits. */
    public static String newId() {
        StringBuilder id = new StringBuilder("ses_");
        for (int i = 0; i < 24; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** The last conversation of {@code project}, if one was recorded. */
    public Optional<String> last(Path project) {
        JsonNode id = read().path(project.toString());
        return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    /** Records {@code sessionId} as {@code project}'s last conversation; a state folder that cannot be written is no error. */
    public void remember(Path project, String sessionId) {
        ObjectNode all = read();
        all.put(project.toString(), sessionId);
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        } catch (IOException e) {
            // -c will not find it; everything else worked
        }
    }

    private ObjectNode read() {
        try {
            JsonNode node = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException | RuntimeException missingOrBroken) {
            // start afresh
        }
        return Json.mapper().createObjectNode();
    }
}
