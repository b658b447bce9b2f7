package com.monkeycoder.cli.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs the {@code git} command in a folder and collects what it printed. Variables a calling git (a hook, an alias)
 * may have set, such as {@code GIT_DIR}, are removed so that git finds the repository of that folder and no other;
 * prompts are switched off so that git never waits for a password nobody will type.
 */
public final class GitCommand {

    private static final List<String> INHERITED_REPOSITORY_VARIABLES = List.of("GIT_DIR", "GIT_WORK_TREE",
            "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR",
            "GIT_NAMESPACE", "GIT_PREFIX");

    /** What one git run printed; {@code exitCode} 0 is success. */
    public record Output(int exitCode, byte[] stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }

        public String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Git's own one-line reason, for a message. */
        public String reason() {
            String err = stderr.strip();
            return err.isEmpty() ? "git exited with " + exitCode : err.lines().reduce((a, b) -> b).orElse(err);
        }
    }

    private GitCommand() {
    }

    /**
     * Runs {@code git args...} in {@code dir}.
     *
     * @param stdin bytes for git's standard input, or null for none
     * @throws IOException when git cannot be started (not installed)
     */
    public static Output run(Path dir, byte[] stdin, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(args.length + 1);
        command.add("git");
        // A folder handed to a model may hold a .git/config from anywhere (an archive, a shared drive): its
        // fsmonitor hook would run on every status and ls-files. These reads never need one.
        command.addAll(List.of("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> environment = builder.environment();
        INHERITED_REPOSITORY_VARIABLES.forEach(environment::remove);
        environment.put("GIT_TERMINAL_PROMPT", "0");
        environment.putAll(env);
        Process process = builder.start();
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException gitClosedItsInput) {
            // git may exit before reading everything (a failing hook); its exit code says what happened
        }
        try {
            int exit = process.waitFor();
            return new Output(exit, out.get(), new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while git was running", e);
        } catch (ExecutionException e) {
            throw new IOException("could not read git's output", e.getCause());
        }
    }

    public static Output run(Path dir, String... args) throws IOException {
        return run(dir, null, Map.of(), args);
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                result.complete(buffer.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return result;
    }
}
