package com.monkeycoder.daemon.conversation;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * What a client sent that the canonical model does not know, kept so that a request reaching a provider of the
 * same family loses nothing: body fields the codec did not read ({@code fields}) and headers to forward as they
 * came ({@code anthropic-beta}...). A provider of another family cannot take them: they are dropped and named.
 * {@code withheld} names what the client sent that the gateway forwards to no provider, because it would change
 * the price in a way the ledger cannot see ({@code service_tier}, a long-context beta) or reach outside the
 * conversation ({@code mcp_servers}): it is named in {@code X-Monkey-Dropped} whoever answers.
 */
public record Passthrough(WireFamily family, ObjectNode fields, Map<String, String> headers, List<String> withheld) {

    public static final Passthrough NONE = new Passthrough(WireFamily.NATIVE, null, Map.of(), List.of());

    public Passthrough {
        headers = Map.copyOf(headers);
        withheld = List.copyOf(withheld);
    }

    /** Fields and headers that may all go to a provider of the same family. */
    public Passthrough(WireFamily family, ObjectNode fields, Map<String, String> headers) {
        this(family, fields, headers, List.of());
    }

    public List<String> fieldNames() {
        if (fields == null) {
            return List.of();
        }
        List<String> names = new java.util.ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public boolean isEmpty() {
        return (fields == null || fields.isEmpty()) && headers.isEmpty() && withheld.isEmpty();
    }
}
