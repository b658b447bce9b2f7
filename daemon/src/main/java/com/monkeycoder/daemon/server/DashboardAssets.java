package com.monkeycoder.daemon.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read from {@code dashboard/} inside the daemon's jar. A name is looked up only when it is
 * plain (lower-case letters, digits and dashes, slash-separated, one known extension), so no dot-dot, encoded or
 * not, can reach past the folder; what was read is kept with its ETag (only files that exist, so misses cost no memory).
 */
final class DashboardAssets {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    /** A file to serve: its bytes, content type and a strong ETag. */
    record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final ClassLoader loader;
    private final Map<String, Asset> read = new ConcurrentHashMap<>();

    DashboardAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file under {@code dashboard/} called {@code name}; empty for a name that is not plain or not there. */
    Optional<Asset> find(String name) {
        if (name == null || name.length() > 200 || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Asset cached = read.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = loader.getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            Asset asset = new Asset(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"");
            read.put(name, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + name, e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
