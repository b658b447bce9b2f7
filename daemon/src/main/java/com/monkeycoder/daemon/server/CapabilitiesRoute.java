package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.routing.RoutingTable;
import com.monkeycoder.daemon.tasks.TaskCatalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/capabilities}: what this gateway offers — personas, task types, model classes, the providers
 * configured now and the APIs it speaks — so clients can build menus and completions from it.
 */
final class CapabilitiesRoute implements ApiHandler {

    private final TaskCatalog tasks;
    private final RoutingTable table;
    private final ProviderRegistry providers;

    CapabilitiesRoute(TaskCatalog tasks, RoutingTable table, ProviderRegistry providers) {
        this.tasks = tasks;
        this.table = table;
        this.providers = providers;
    }

    @Override
    public void handle(HttpCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("personas", tasks.personas().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("description", p.description());
            m.put("model_class", p.modelClass());
            return m;
        }).toList());
        body.put("task_types", tasks.taskTypes().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("description", t.description());
            m.put("model_class", t.modelClass());
            m.put("output_format", t.outputFormat());
            return m;
        }).toList());
        body.put("default_persona", TaskCatalog.DEFAULT_PERSONA);
        body.put("model_classes", table.classes());
        body.put("default_model_class", table.defaultClass());
        body.put("providers_configured", providers.catalog().providers().stream()
                .map(p -> p.name()).filter(providers::isConfigured).toList());
        body.put("apis", List.of("native:/v1/execute", "openai:/v1/chat/completions", "anthropic:/v1/messages"));
        body.put("streaming", true);
        call.sendJson(200, body);
    }
}
