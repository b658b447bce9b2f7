package com.monkeycoder.shared;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Monkey Coder's data and state are the user's alone: its folders are made 0700 and its files 0600, whatever the
 * umask (the ledger, the daemon's log and the local key say what a user asked and holds). On a file system without
 * POSIX permissions these create plainly.
 */
public final class PrivateFiles {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} and any missing parents with mode 0700; an existing folder is left as it is. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        try {
            return Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createDirectories(absolute);
        }
    }

    /**
     * A folder of Monkey Coder's own (data, state): created 0700 when missing, and an existing one tightened to 0700,
     * so a folder an older version made with the umask stops being readable by others.
     */
    public static Path ownDirectory(Path dir) throws IOException {
        Path d = createDirectories(dir);
        restrict(d, DIRECTORY);
        return d;
    }

    /** Creates {@code file} empty with mode 0600 when missing, else tightens it to 0600. */
    public static Path file(Path file) throws IOException {
        try {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE);
            Files.createFile(file, mode);
        } catch (FileAlreadyExistsException exists) {
            restrict(file, FILE);
        } catch (UnsupportedOperationException notPosix) {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        }
        return file;
    }

    /** Tightens an existing file to 0600 (no-op when it is missing). */
    public static void restrictIfExists(Path file) throws IOException {
        if (Files.exists(file)) {
            restrict(file, FILE);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(path).equals(mode)) {
                Files.setPosixFilePermissions(path, mode);
            }
        } catch (UnsupportedOperationException notPosix) {
            // nothing to tighten
        }
    }
}
