package com.monkeycoder.cli.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.shared.Json;

/** How {@code config get} and {@code config list} show one resolved setting. */
final class ConfigView {

    private ConfigView() {
    }

    /** "env MONKEY_CODER_PORT", "flag --model", "config", "default". */
    static String source(Settings.Resolved r) {
        return switch (r.source()) {
            case FLAG -> "flag " + r.origin();
            case ENV -> "env " + r.origin();
            case CONFIG, DEFAULT -> r.source().label();
        };
    }

    static ObjectNode json(Settings.Resolved r) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("key", r.setting().key());
        if (r.value() == null) {
            node.putNull("value");
        } else if (r.setting().numeric() && r.value().matches("-?\\d{1,9}")) {
            node.put("value", Integer.parseInt(r.value()));
        } else {
            node.put("value", r.value());
        }
        node.put("source", r.source().label());
        node.put("env", r.setting().env());
        if (r.setting().defaultValue() == null) {
            node.putNull("default");
        } else {
            node.put("default", r.setting().defaultValue());
        }
        node.put("read_by", r.setting().reader().label());
        node.put("description", r.setting().description());
        return node;
    }
}
