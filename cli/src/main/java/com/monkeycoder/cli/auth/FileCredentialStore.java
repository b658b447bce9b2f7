package com.monkeycoder.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Keys in {@code credentials.json} in the config folder, readable by its owner only (0600): where no OS keyring
 * answers (headless Linux, CI). Written to a 0600 temporary file first, then moved into place, so the file is
 * never readable by others, not even for a moment.
 */
public final class FileCredentialStore implements CredentialStore {

    private final Path file;

    public FileCredentialStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return "file " + file + " (mode 0600)";
    }

    @Override
    public Optional<Credentials> read(String baseUrl) {
        JsonNode entry = load().path("gateways").path(baseUrl);
        if (!entry.isObject() || !entry.path("api_key").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(entry.path("api_key").asText(), entry.path("key_id").asText(null),
                entry.path("email").asText(null)));
    }

    @Override
    public void write(String baseUrl, Credentials credentials) {
        ObjectNode root = load();
        root.withObject("/gateways").set(baseUrl, Json.mapper().valueToTree(credentials));
        save(root);
    }

    @Override
    public boolean delete(String baseUrl) {
        ObjectNode root = load();
        if (!root.path("gateways").has(baseUrl)) {
            return false;
        }
        root.withObject("/gateways").remove(baseUrl);
        save(root);
        return true;
    }

    private ObjectNode load() {
        if (!Files.isRegularFile(file)) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode node = Json.mapper().readTree(file.toFile());
            return node instanceof ObjectNode o ? o : Json.mapper().createObjectNode();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "cannot read " + file + " (" + e.getMessage()
                    + "): fix or delete it, then log in again", e);
        }
    }

    private void save(ObjectNode root) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException raced) {
                // another monkey is saving at this moment; ours overwrites it below
            }
            Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
