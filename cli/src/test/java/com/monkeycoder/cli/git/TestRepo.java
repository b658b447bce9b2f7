package com.monkeycoder.cli.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real git repository in a test's temporary folder, with its own identity so no global configuration is needed. */
public record TestRepo(Path dir) {

    public static TestRepo init(Path dir) throws IOException {
        Files.createDirectories(dir);
        TestRepo repo = new TestRepo(dir);
        repo.git("init", "-q", "-b", "main");
        repo.git("config", "user.name", "Test User");
        repo.git("config", "user.email", "test@example.com");
        repo.git("config", "commit.gpgsign", "false");
        return repo;
    }

    public TestRepo write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public String read(String path) throws IOException {
        return Files.readString(dir.resolve(path));
    }

    public TestRepo commitAll(String message) throws IOException {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return this;
    }

    /** Runs git and returns its standard output; a failure fails the test. */
    public String git(String... args) throws IOException {
        GitCommand.Output out = GitCommand.run(dir, args);
        if (!out.ok()) {
            throw new IOException("git " + String.join(" ", args) + ": " + out.stderr());
        }
        return new String(out.stdout(), StandardCharsets.UTF_8);
    }
}
