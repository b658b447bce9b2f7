package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Writes the gateway's JSON for {@code --json}: pretty, one document, nothing else on stdout. */
public final class JsonOutput {

    private JsonOutput() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void print(PrintWriter out, JsonNode value) {
        print(out, (Object) value);
    }
}
