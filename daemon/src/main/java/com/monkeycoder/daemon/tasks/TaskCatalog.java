package com.monkeycoder.daemon.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Personas (who answers) and task types (what is asked), read from {@code tasks.json} and, when present, the
 * user's own {@code tasks.json} in the config folder, whose entries add to or replace the built-in ones by name.
 */
public final class TaskCatalog {

    public static final String DEFAULT_PERSONA = "developer";

    /** A persona: its system prompt and the model class it prefers (null: no preference). */
    public record Persona(String name, String description, String systemPrompt, String modelClass) {
    }

    /** A task type: instructions and output format added to the system prompt, and its model class. */
    public record TaskType(String name, String description, String instructions, String outputFormat,
                           String modelClass) {
    }

    private final Map<String, Persona> personas;
    private final Map<String, TaskType> taskTypes;

    private TaskCatalog(Map<String, Persona> personas, Map<String, TaskType> taskTypes) {
        this.personas = personas;
        this.taskTypes = taskTypes;
    }

    /** The built-in catalog with the user's file (if it exists) laid over it. */
    public static TaskCatalog load(Path userFile) {
        Map<String, Persona> personas = new LinkedHashMap<>();
        Map<String, TaskType> taskTypes = new LinkedHashMap<>();
        try (InputStream in = TaskCatalog.class.getResourceAsStream("/com/monkeycoder/daemon/tasks.json")) {
            if (in == null) {
                throw new IllegalStateException("tasks.json is missing from the gateway's resources");
            }
            read(Json.mapper().readTree(in), personas, taskTypes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tasks.json", e);
        }
        if (userFile != null && Files.isRegularFile(userFile)) {
            try {
                read(Json.mapper().readTree(userFile.toFile()), personas, taskTypes);
            } catch (IOException e) {
                throw new ConfigException("cannot read " + userFile + ": " + e.getMessage());
            }
        }
        return new TaskCatalog(Collections.unmodifiableMap(personas), Collections.unmodifiableMap(taskTypes));
    }

    public static TaskCatalog builtIn() {
        return load(null);
    }

    private static void read(JsonNode root, Map<String, Persona> personas, Map<String, TaskType> taskTypes) {
        for (JsonNode p : root.path("personas")) {
            Persona persona = new Persona(p.path("name").asText(), p.path("description").asText(""),
                    p.path("system_prompt").asText(""), p.path("model_class").asText(null));
            personas.put(persona.name(), persona);
        }
        for (JsonNode t : root.path("task_types")) {
            TaskType type = new TaskType(t.path("name").asText(), t.path("description").asText(""),
                    t.path("instructions").asText(""), t.path("output_format").asText(""),
                    t.path("model_class").asText(null));
            taskTypes.put(type.name(), type);
        }
    }

    public Optional<Persona> persona(String name) {
        return Optional.ofNullable(personas.get(name));
    }

    public Optional<TaskType> taskType(String name) {
        return Optional.ofNullable(taskTypes.get(name));
    }

    public Collection<Persona> personas() {
        return personas.values();
    }

    public Collection<TaskType> taskTypes() {
        return taskTypes.values();
    }

    /**
     * The model class for a request: a persona's class wins (the persona is the more specific choice), then the
     * task type's, then null for the routing table's default.
     */
    public String modelClass(String persona, String taskType) {
        String fromPersona = persona == null ? null : persona(persona).map(Persona::modelClass).orElse(null);
        if (fromPersona != null) {
            return fromPersona;
        }
        return taskType == null ? null : taskType(taskType).map(TaskType::modelClass).orElse(null);
    }

    /** The system prompt for a persona and task type: the persona's words, then the task's instructions and format. */
    public String systemPrompt(Persona persona, TaskType taskType) {
        StringBuilder prompt = new StringBuilder(persona.systemPrompt());
        if (taskType != null) {
            prompt.append("\n\n").append(taskType.instructions());
            if (!taskType.outputFormat().isBlank()) {
                prompt.append("\n\nOutput format: ").append(taskType.outputFormat());
            }
        }
        return prompt.toString();
    }
}
