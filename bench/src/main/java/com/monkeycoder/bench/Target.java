package com.monkeycoder.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where requests go: straight to the fake upstream, through Monkey Coder, or through a peer gateway. Each builds
 * the same Chat Completions request with the headers that target needs; a target on {@code /v1/execute} (the
 * failover run) sends Monkey Coder's native request instead, with no model, so the routing table chooses.
 *
 * @param name    as the report shows it
 * @param port    on 127.0.0.1
 * @param path    the Chat Completions path, or {@code /v1/execute}
 * @param model   the model name this target expects (on {@code /v1/execute} null for none: the router chooses)
 * @param headers extra request headers (auth, a peer's routing headers)
 */
record Target(String name, int port, String path, String model, Map<String, String> headers) {

    static final String EXECUTE = "/v1/execute";

    /** The request bytes for one prompt, ready to write to a keep-alive connection. */
    byte[] request(String prompt, boolean stream) {
        return request(prompt, stream, false);
    }

    /**
     * The same; {@code deterministic} adds {@code "temperature": 0}, which makes Monkey Coder answer from its
     * response cache once it holds the answer.
     */
    byte[] request(String prompt, boolean stream, boolean deterministic) {
        String body;
        if (path.equals(EXECUTE)) {
            body = "{" + (model != null ? "\"model\":\"" + model + "\"," : "") + "\"prompt\":\"" + prompt + "\"" + (stream ? ",\"stream\":true" : "")
                    + (deterministic ? ",\"model_config\":{\"temperature\":0}" : "") + "}";
        } else {
            body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]"
                    + (deterministic ? ",\"temperature\":0" : "")
                    + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "127.0.0.1:" + port);
        all.put("Content-Type", "application/json");
        all.put("Accept", stream ? "text/event-stream" : "application/json");
        all.putAll(headers);
        all.put("Content-Length", Integer.toString(bytes.length));
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n");
        all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(bytes, 0, out, headBytes.length, bytes.length);
        return out;
    }
}
