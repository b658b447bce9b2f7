package com.monkeycoder.daemon.dialects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.Passthrough;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.shared.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a codec does with the body fields it does not read: those on its dialect's allow-list go to a provider of
 * the same family as they came; the rest are withheld from every provider and named in {@code X-Monkey-Dropped}.
 * An allow-list, not a deny-list: a field a provider adds tomorrow could change what a request costs (priority
 * service tiers, per-use server tools) in ways the ledger cannot price.
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    public static Passthrough passthrough(WireFamily family, JsonNode body, Set<String> known, Set<String> forwardable,
                                          Map<String, String> headers, List<String> withheldHeaders) {
        ObjectNode fields = Json.mapper().createObjectNode();
        List<String> withheld = new ArrayList<>();
        body.fields().forEachRemaining(e -> {
            if (known.contains(e.getKey())) {
                return;
            }
            if (forwardable.contains(e.getKey())) {
                fields.set(e.getKey(), e.getValue());
            } else {
                withheld.add(e.getKey());
            }
        });
        withheld.addAll(withheldHeaders);
        return new Passthrough(family, fields, headers, withheld);
    }
}
