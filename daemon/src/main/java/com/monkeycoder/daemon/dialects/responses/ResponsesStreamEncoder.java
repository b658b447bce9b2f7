package com.monkeycoder.daemon.dialects.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.dialects.ResponseIds;
import com.monkeycoder.daemon.dialects.SseSink;
import com.monkeycoder.daemon.dialects.StreamEncoder;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.StreamStart;
import com.monkeycoder.shared.Json;

import java.io.IOException;

/**
 * A streamed answer as OpenAI's Responses events, in OpenAI's order: {@code response.created},
 * {@code response.in_progress}, then each output item opened ({@code output_item.added}), filled (text, summary or
 * argument deltas) and closed ({@code output_item.done} with the whole item, which is what Codex acts on), and
 * last {@code response.completed} (or {@code response.incomplete}) with every item and the usage. One item is open
 * at a time: an event of another kind closes it. Every event carries its {@code sequence_number}.
 */
final class ResponsesStreamEncoder implements StreamEncoder {

    private final ResponsesDialect.Options options;
    private final ResponseIds ids;
    private final SseSink sink;
    private final ResponsesDialect.OutputItems items;
    private ResponsesDialect.ResponseObject response;
    private int sequence;
    private OpenItem open;

    /** The item in progress: its kind, index in {@code output}, id, and what has streamed into it. */
    private static final class OpenItem {
        final String kind; // message, reasoning, call
        final int outputIndex;
        final String id;
        final StringBuilder text = new StringBuilder();
        String callId;
        String name;
        int call = -1;
        boolean custom;
        String encrypted;

        OpenItem(String kind, int outputIndex, String id) {
            this.kind = kind;
            this.outputIndex = outputIndex;
            this.id = id;
        }
    }

    ResponsesStreamEncoder(ResponsesDialect.Options options, ResponseIds ids, SseSink sink) {
        this.options = options;
        this.ids = ids;
        this.sink = sink;
        this.items = new ResponsesDialect.OutputItems(ids, options);
    }

    @Override
    public void start(StreamStart start) throws IOException {
        response = new ResponsesDialect.ResponseObject(ids, start.model().qualifiedId(), options);
        emit("response.created", withResponse(response.inProgress()));
        emit("response.in_progress", withResponse(response.inProgress()));
    }

    @Override
    public void event(StreamEvent event) throws IOException {
        switch (event) {
            case StreamEvent.TextDelta d -> text(d.text());
            case StreamEvent.ThinkingDelta d -> thinking(d.text());
            case StreamEvent.ThinkingSignature s -> {
                if (!isOpen("reasoning") || open.encrypted != null) {
                    openReasoning();
                }
                open.encrypted = s.signature();
                close(); // a signature ends its reasoning, as AnswerBuilder reads it
            }
            case StreamEvent.RedactedThinking r -> {
                openReasoning();
                open.encrypted = r.data();
                close();
            }
            case StreamEvent.ToolCallStart s -> openCall(s);
            case StreamEvent.ToolCallDelta d -> callArguments(d);
            case StreamEvent.ToolCallEnd e -> {
                if (isOpen("call") && open.call == e.index()) {
                    close();
                }
            }
            default -> {
                // usage and the finish reason come with finish()
            }
        }
    }

    @Override
    public void finish(Outcome o) throws IOException {
        close();
        ObjectNode done = response.finished(o);
        emit(done.path("status").asText().equals("incomplete") ? "response.incomplete" : "response.completed",
                withResponse(done));
    }

    /** The item in progress is left unclosed: a half-written call must not look complete to the client. */
    @Override
    public void fail(ApiError error, Object body) throws IOException {
        if (response == null) {
            response = new ResponsesDialect.ResponseObject(ids, "", options);
        }
        emit("response.failed", withResponse(response.failed(body)));
    }

    // ---- items ----

    private void text(String delta) throws IOException {
        if (!isOpen("message")) {
            open(new OpenItem("message", nextIndex(), items.newId("msg_")));
            emit("response.output_item.added", withItem(ResponsesDialect.OutputItems.messageItem(open.id,
                    "in_progress", null)));
            emit("response.content_part.added", contentPart(ResponsesDialect.OutputItems.outputText("")));
        }
        open.text.append(delta);
        emit("response.output_text.delta", itemEvent().put("content_index", 0).put("delta", delta));
    }

    private void thinking(String delta) throws IOException {
        if (!isOpen("reasoning") || open.encrypted != null) {
            openReasoning();
        }
        if (open.text.isEmpty()) {
            emit("response.reasoning_summary_part.added", summaryPart(""));
        }
        open.text.append(delta);
        emit("response.reasoning_summary_text.delta", itemEvent().put("summary_index", 0).put("delta", delta));
    }

    private void openReasoning() throws IOException {
        open(new OpenItem("reasoning", nextIndex(), items.newId("rs_")));
        emit("response.output_item.added", withItem(ResponsesDialect.OutputItems.reasoningItem(open.id, null, null)));
    }

    private void openCall(StreamEvent.ToolCallStart s) throws IOException {
        boolean custom = items.isCustom(s.name());
        open(new OpenItem("call", nextIndex(), items.newId(custom ? "ctc_" : "fc_")));
        open.call = s.index();
        open.callId = s.id();
        open.name = s.name();
        open.custom = custom;
        emit("response.output_item.added", withItem(items.callItem(open.id, "in_progress", s.id(), s.name(), "")));
    }

    /**
     * Function arguments stream as they come. A custom tool's input is wrapped in {@code {"input": ...}} in the
     * canonical form, so it is unwrapped and sent in one delta when the call ends.
     */
    private void callArguments(StreamEvent.ToolCallDelta d) throws IOException {
        if (!isOpen("call") || open.call != d.index()) {
            return;
        }
        open.text.append(d.arguments());
        if (!open.custom && !d.arguments().isEmpty()) {
            emit("response.function_call_arguments.delta", itemEvent().put("delta", d.arguments()));
        }
    }

    private void open(OpenItem item) throws IOException {
        close();
        open = item;
    }

    /** Closes the item in progress: its done events, then the whole item, kept for {@code response.completed}. */
    private void close() throws IOException {
        if (open == null) {
            return;
        }
        OpenItem item = open;
        open = null;
        ObjectNode whole = switch (item.kind) {
            case "message" -> closeMessage(item);
            case "reasoning" -> closeReasoning(item);
            default -> closeCall(item);
        };
        response.output().add(whole);
        emit("response.output_item.done", itemAt(item).set("item", whole));
    }

    private ObjectNode closeMessage(OpenItem item) throws IOException {
        String text = item.text.toString();
        emit("response.output_text.done", eventOf(item).put("content_index", 0).put("text", text));
        ObjectNode part = ResponsesDialect.OutputItems.outputText(text);
        emit("response.content_part.done", eventOf(item).put("content_index", 0).set("part", part));
        return ResponsesDialect.OutputItems.messageItem(item.id, "completed", text);
    }

    private ObjectNode closeReasoning(OpenItem item) throws IOException {
        String summary = item.text.toString();
        if (!summary.isEmpty()) {
            emit("response.reasoning_summary_text.done", eventOf(item).put("summary_index", 0).put("text", summary));
            ObjectNode part = Json.mapper().createObjectNode().put("type", "summary_text").put("text", summary);
            emit("response.reasoning_summary_part.done", eventOf(item).put("summary_index", 0).set("part", part));
        }
        return ResponsesDialect.OutputItems.reasoningItem(item.id, summary, item.encrypted);
    }

    private ObjectNode closeCall(OpenItem item) throws IOException {
        String arguments = item.text.isEmpty() ? "{}" : item.text.toString();
        if (item.custom) {
            String input = ResponsesDialect.OutputItems.customInput(arguments);
            emit("response.custom_tool_call_input.delta", eventOf(item).put("delta", input));
            emit("response.custom_tool_call_input.done", eventOf(item).put("input", input));
        } else {
            emit("response.function_call_arguments.done", eventOf(item).put("arguments", arguments));
        }
        return items.callItem(item.id, "completed", item.callId, item.name, arguments);
    }

    // ---- events ----

    private boolean isOpen(String kind) {
        return open != null && open.kind.equals(kind);
    }

    private int nextIndex() {
        return response.output().size() + (open == null ? 0 : 1);
    }

    private void emit(String type, ObjectNode fields) throws IOException {
        ObjectNode event = Json.mapper().createObjectNode().put("type", type).put("sequence_number", sequence++);
        event.setAll(fields);
        sink.event(type, event);
    }

    private static ObjectNode withResponse(ObjectNode response) {
        ObjectNode fields = Json.mapper().createObjectNode();
        fields.set("response", response);
        return fields;
    }

    private ObjectNode withItem(ObjectNode item) {
        return itemAt(open).set("item", item);
    }

    private static ObjectNode itemAt(OpenItem item) {
        return Json.mapper().createObjectNode().put("output_index", item.outputIndex);
    }

    private ObjectNode itemEvent() {
        return eventOf(open);
    }

    private static ObjectNode eventOf(OpenItem item) {
        return Json.mapper().createObjectNode().put("item_id", item.id).put("output_index", item.outputIndex);
    }

    private ObjectNode contentPart(ObjectNode part) {
        return itemEvent().put("content_index", 0).set("part", part);
    }

    private ObjectNode summaryPart(String text) {
        ObjectNode part = Json.mapper().createObjectNode().put("type", "summary_text").put("text", text);
        return itemEvent().put("summary_index", 0).set("part", part);
    }
}
