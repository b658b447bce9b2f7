package com.monkeycoder.cli.write;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void writesNewFileAndItsFoldersAndLeavesNoTemporaryFile() throws IOException {
        Path target = tmp.resolve("a/b/c.txt");

        AtomicFiles.write(target, "hello\n".getBytes());

        assertThat(target).hasContent("hello");
        assertThat(filesUnder(tmp)).containsExactly("a/b/c.txt");
    }

    @Test
    void replacingKeepsTheFileModeAndLeavesNoTemporaryFile() throws IOException {
        Path script = Files.writeString(tmp.resolve("run.sh"), "echo old\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));

        AtomicFiles.write(script, "echo new\n".getBytes());

        assertThat(script).hasContent("echo new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-x---");
        assertThat(filesUnder(tmp)).containsExactly("run.sh");
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(tmp.resolve("keep.txt"), "old\n");
        Files.createDirectories(tmp.resolve("dir"));

        // Renaming a file over a non-empty folder fails after the temporary file was written.
        Files.writeString(tmp.resolve("dir/inside"), "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(tmp.resolve("dir"), "new\n".getBytes()))
                .isInstanceOf(IOException.class);

        assertThat(target).hasContent("old");
        assertThat(filesUnder(tmp)).containsExactlyInAnyOrder("keep.txt", "dir/inside");
    }

    static java.util.List<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
