package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.catalog.ModelTraits;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Tool;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a request needs of the model that answers it, checked against the catalog's capabilities: {@code tools}
 * (tools offered, or tool calls and results in the history), {@code vision} (an image anywhere), and hosted tools
 * only their own provider family can run. Routing and failover only pick candidates that have all of it. Thinking
 * is not a need: a model without it answers without thinking, and the response names what was dropped.
 */
final class Capabilities {

    private Capabilities() {
    }

    /** The needs of one request, and the request field to name when nothing can meet them. */
    record Needs(Set<String> names, List<Tool.Hosted> hosted, String field) {

        boolean isEmpty() {
            return names.isEmpty() && hosted.isEmpty();
        }

        /** The needs in words, for the error that no candidate meets them. */
        List<String> described() {
            List<String> out = new ArrayList<>(names);
            hosted.forEach(h -> out.add("the hosted tool " + h.type()));
            return out;
        }

        /** What {@code route} lacks; a model the catalog does not list (any Ollama model) is taken at its word. */
        List<String> missing(Route route, ModelTraits traits, boolean unlisted) {
            List<String> missing = new ArrayList<>();
            if (!unlisted) {
                for (String n : names) {
                    if (!traits.capabilities().contains(n)) {
                        missing.add(n);
                    }
                }
            }
            for (Tool.Hosted h : hosted) {
                if (route.adapter().family() != h.family()) {
                    missing.add("the hosted tool " + h.type());
                }
            }
            return missing;
        }
    }

    static Needs of(ConversationRequest request) {
        Set<String> names = new LinkedHashSet<>();
        String field = null;
        if (!request.tools().isEmpty()) {
            names.add("tools");
            field = "tools";
        }
        boolean images = false;
        boolean toolHistory = false;
        for (Part p : (Iterable<Part>) request.allParts()::iterator) {
            images |= p instanceof Part.Image;
            toolHistory |= p instanceof Part.ToolCall || p instanceof Part.ToolResult;
        }
        if (toolHistory) {
            names.add("tools");
            field = field == null ? "messages" : field;
        }
        if (images) {
            names.add("vision");
            field = field == null ? "messages" : field;
        }
        List<Tool.Hosted> hosted = new ArrayList<>();
        for (Tool t : request.tools()) {
            if (t instanceof Tool.Hosted h && !h.optional()) {
                hosted.add(h);
            }
        }
        return new Needs(names, hosted, field == null ? "tools" : field);
    }
}
