package com.monkeycoder.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gateway error in the words of the CLI: a request field becomes the flag that sets it ({@code task_type} is
 * {@code --task}), a route named as a hint becomes the command that calls it ({@code GET /v1/models} is
 * {@code monkey models}). The gateway keeps its HTTP wording for API clients; only the CLI translates.
 */
final class CliWording {

    /** Request fields the CLI sets, by the flag that sets them; one table for every command (no field has two). */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("task_type", "--task"),
            Map.entry("persona", "--persona"),
            Map.entry("model", "--model"),
            Map.entry("preferred_providers", "--provider"),
            Map.entry("model_config.temperature", "--temperature"),
            Map.entry("model_config.max_tokens", "--max-tokens"),
            Map.entry("name", "--name"),
            Map.entry("expires_in_days", "--expires-in-days"),
            Map.entry("requests_per_hour", "--requests-per-hour"),
            Map.entry("requests_per_month", "--requests-per-month"),
            Map.entry("days", "--days"));

    /** Routes the gateway names in its hints, by the command that calls them; longer routes first. */
    private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("DELETE /v1/auth/keys/{id}", "monkey keys revoke ID");
        COMMANDS.put("GET /v1/auth/keys", "monkey keys list");
        COMMANDS.put("POST /v1/auth/keys", "monkey keys create");
        COMMANDS.put("POST /v1/auth/login", "monkey auth login");
        COMMANDS.put("POST /v1/auth/register", "monkey auth register");
        COMMANDS.put("GET /v1/models", "monkey models");
        COMMANDS.put("GET /v1/providers", "monkey providers");
        COMMANDS.put("GET /v1/billing/usage", "monkey usage");
    }

    private CliWording() {
    }

    /**
     * {@code message} with its field named by its flag and its route hints by their commands. The field is
     * rewritten only where the message starts with it, as a validation error's does ("task_type is not ...").
     */
    static String of(String message, JsonNode details) {
        String text = message;
        String field = details == null ? null : details.path("field").asText(null);
        String flag = field == null ? null : FLAGS.get(field);
        if (flag != null && text.startsWith(field + " ")) {
            text = flag + text.substring(field.length());
        }
        for (var route : COMMANDS.entrySet()) {
            text = text.replace(route.getKey(), route.getValue());
        }
        // A 402's advice names the request field; implement and chat take it as a flag.
        return text.replace("lower max_tokens", "lower --max-tokens");
    }
}
