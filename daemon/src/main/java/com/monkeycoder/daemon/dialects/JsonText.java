package com.monkeycoder.daemon.dialects;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * JSON written as text where a tree per event would be waste (one SSE chunk per token): the same escaping as
 * Jackson's generator with the shared mapper's settings, so the bytes are those {@code Json.write} gives for the tree.
 */
public final class JsonText {

    private JsonText() {
    }

    /** {@code value} as a JSON string, quotes included. */
    public static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        return out.append('"');
    }

    public static String quoted(String value) {
        return quote(new StringBuilder(value.length() + 2), value).toString();
    }
}
