package com.monkeycoder.daemon.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The personas a task can be given, read from {@code personas.json}: each is a system prompt. */
public final class Personas {

    public static final String DEFAULT = "developer";

    /** One persona: its name, a line for listings and the system prompt put before the task. */
    public record Persona(String name, String description, String systemPrompt) {
    }

    private final Map<String, Persona> byName;

    private Personas(Map<String, Persona> byName) {
        this.byName = byName;
    }

    public static Personas builtIn() {
        try (InputStream in = Personas.class.getResourceAsStream("/com/monkeycoder/daemon/personas.json")) {
            if (in == null) {
                throw new IllegalStateException("personas.json is missing from the gateway's resources");
            }
            Map<String, Persona> map = new LinkedHashMap<>();
            for (JsonNode p : Json.mapper().readTree(in).path("personas")) {
                Persona persona = new Persona(p.path("name").asText(), p.path("description").asText(),
                        p.path("system_prompt").asText());
                map.put(persona.name(), persona);
            }
            return new Personas(Collections.unmodifiableMap(map));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read personas.json", e);
        }
    }

    public Optional<Persona> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Collection<Persona> all() {
        return byName.values();
    }
}
