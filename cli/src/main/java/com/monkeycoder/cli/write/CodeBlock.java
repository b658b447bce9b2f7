package com.monkeycoder.cli.write;

/**
 * One fenced code block of an answer.
 *
 * @param info    the fence's info string, e.g. {@code java src/Main.java}
 * @param path    the file path the info string names, or null when it names none
 * @param content the block's text; each line ends with a newline
 * @param closed  false when the answer ended inside the block (it was cut off)
 */
public record CodeBlock(String info, String path, String content, boolean closed) {

    public boolean hasPath() {
        return path != null;
    }
}
