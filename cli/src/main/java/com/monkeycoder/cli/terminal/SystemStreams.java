package com.monkeycoder.cli.terminal;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Whether this process's stdin, stdout and stderr are terminals. On Linux the answer is in {@code /proc/self/fd},
 * which costs no native code or process; elsewhere JLine's native provider asks {@code isatty}.
 */
public final class SystemStreams {

    private SystemStreams() {
    }

    public static boolean stdinIsTerminal() {
        return isTerminal(0);
    }

    public static boolean stdoutIsTerminal() {
        return isTerminal(1);
    }

    public static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /** The width of the terminal stdout is on, in columns, when it is one and its size can be read. */
    public static OptionalInt stdoutWidth() {
        for (String provider : new String[]{"jni", "exec"}) {
            try {
                int width = TerminalProvider.load(provider).systemStreamWidth(SystemStream.Output);
                return width > 0 ? OptionalInt.of(width) : OptionalInt.empty();
            } catch (IOException | RuntimeException | LinkageError unavailable) {
                // try the next one
            }
        }
        return OptionalInt.empty();
    }

    /** True when standard input is {@code /dev/null}: nothing will ever arrive on it. */
    public static boolean stdinIsNull() {
        return "/dev/null".equals(procLink(0));
    }

    private static boolean isTerminal(int fd) {
        String target = procLink(fd);
        if (target != null) {
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        }
        return jlineSaysTerminal(fd);
    }

    /** Loads JLine only where /proc is missing (macOS), so a Linux start-up never opens its jar. */
    private static boolean jlineSaysTerminal(int fd) {
        SystemStream stream = switch (fd) {
            case 0 -> SystemStream.Input;
            case 1 -> SystemStream.Output;
            default -> SystemStream.Error;
        };
        for (String provider : new String[]{"jni", "exec"}) {
            try {
                return TerminalProvider.load(provider).isSystemStream(stream);
            } catch (IOException | RuntimeException | LinkageError unavailable) {
                // try the next one
            }
        }
        return false;
    }

    private static String procLink(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException noProc) {
            return null;
        }
    }
}
