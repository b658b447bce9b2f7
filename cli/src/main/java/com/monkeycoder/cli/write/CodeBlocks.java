package com.monkeycoder.cli.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the fenced code blocks of a Markdown answer (CommonMark's rules: three or more backticks or tildes, closed
 * by a fence of the same character at least as long) and the file path each one names in its info string:
 * {@code ```java src/Main.java}, {@code ```src/Main.java}, {@code ```java:src/Main.java} or
 * {@code ```java file=src/Main.java}.
 */
public final class CodeBlocks {

    private static final Pattern OPENING = Pattern.compile("^( {0,3})(`{3,}|~{3,})(.*)$");
    private static final Pattern EXTENSION = Pattern.compile("^[\\w.+-]*[A-Za-z_][\\w+-]*\\.[A-Za-z0-9]+$|^\\.[\\w.-]+$");
    private static final Set<String> FILES_WITHOUT_EXTENSION = Set.of("Makefile", "makefile", "GNUmakefile",
            "Dockerfile", "Containerfile", "Justfile", "justfile", "Rakefile", "Gemfile", "Procfile", "Vagrantfile",
            "Jenkinsfile", "Brewfile", "Pipfile", "LICENSE", "README", "CODEOWNERS");
    private static final List<String> KEY_PREFIXES = List.of("file=", "path=", "filename=", "name=", "title=");

    private CodeBlocks() {
    }

    public static List<CodeBlock> parse(String markdown) {
        List<CodeBlock> blocks = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = OPENING.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(2);
            String info = open.group(3).strip();
            if (fence.charAt(0) == '`' && info.contains("`")) {
                continue; // not a fence: CommonMark forbids backticks in a backtick fence's info string
            }
            int indent = open.group(1).length();
            Pattern closing = Pattern.compile("^ {0,3}" + Pattern.quote(String.valueOf(fence.charAt(0))) + "{"
                    + fence.length() + ",}\\s*$");
            StringBuilder content = new StringBuilder();
            boolean closed = false;
            int j = i + 1;
            for (; j < lines.size(); j++) {
                if (closing.matcher(lines.get(j)).matches()) {
                    closed = true;
                    break;
                }
                content.append(unindent(lines.get(j), indent)).append('\n');
            }
            blocks.add(new CodeBlock(info, pathFromInfo(info), content.toString(), closed));
            i = j;
        }
        return blocks;
    }

    /**
     * The file path an info string names, or null. The first word is CommonMark's language slot: it is taken for
     * the path only when no later word names one, so {@code makefile Makefile}, {@code dockerfile Dockerfile} or
     * {@code text README} name the file after the language word, never the language word itself.
     */
    static String pathFromInfo(String info) {
        String[] tokens = info.strip().split("\\s+");
        String bareFirst = null;
        for (int i = 0; i < tokens.length; i++) {
            String token = unquote(withoutKey(tokens[i]));
            int colon = token.indexOf(':');
            boolean languageColonPath = i == 0 && colon > 0 && token.substring(0, colon).matches("[\\w+#-]+")
                    && !token.contains("://");
            if (languageColonPath) {
                token = token.substring(colon + 1); // java:src/Main.java
            }
            if (!looksLikePath(token)) {
                continue;
            }
            if (i == 0 && !languageColonPath && isBareWord(token)) {
                bareFirst = token; // makefile, Dockerfile: a language unless no later word names a file
                continue;
            }
            return token;
        }
        return bareFirst;
    }

    /** A word with no folder, extension or key: what a language name looks like ({@code makefile}, {@code text}). */
    private static boolean isBareWord(String token) {
        return token.matches("[\\w+#-]+");
    }

    private static String withoutKey(String token) {
        for (String prefix : KEY_PREFIXES) {
            if (token.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return token.substring(prefix.length());
            }
        }
        return token;
    }

    private static String unquote(String token) {
        if (token.length() >= 2 && (token.startsWith("\"") && token.endsWith("\"")
                || token.startsWith("'") && token.endsWith("'"))) {
            return token.substring(1, token.length() - 1);
        }
        return token;
    }

    private static boolean looksLikePath(String token) {
        if (token.isEmpty() || token.contains("://")) {
            return false;
        }
        if (token.contains("/") || token.contains("\\")) {
            return !token.endsWith("/");
        }
        return EXTENSION.matcher(token).matches() || FILES_WITHOUT_EXTENSION.contains(token);
    }

    private static String unindent(String line, int indent) {
        int strip = 0;
        while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
            strip++;
        }
        return line.substring(strip);
    }
}
