package com.monkeycoder.shared;

import java.util.regex.Pattern;

/**
 * Takes secrets out of text before it reaches an error message or a log line: the user-info of every URL
 * ({@code postgres://user:password@host}, {@code redis://:password@host} become {@code scheme://***@host}) and every
 * {@code password=} (or {@code passwd=}, {@code pwd=}) parameter's value, as JDBC URLs carry them.
 */
public final class Redaction {

    /** A URL's scheme and its user-info up to the {@code @} before the host. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#\\s\"'<>]*@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)\\b(password|passwd|pwd)=[^&;\\s\"'<>]*");

    private Redaction() {
    }

    /** {@code text} with URL user-info and password parameters replaced by {@code ***}; null stays null. */
    public static String secrets(String text) {
        if (text == null) {
            return null;
        }
        String out = USER_INFO.matcher(text).replaceAll("$1***@");
        return PASSWORD_PARAM.matcher(out).replaceAll("$1=***");
    }
}
