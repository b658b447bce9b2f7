package com.monkeycoder.cli;

import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.shared.Json;
import okhttp3.mockwebserver.MockResponse;

import java.nio.charset.StandardCharsets;

/**
 * An OpenAI Chat Completions answer whose text is chosen by the test, in the layout of the recorded fixtures: a
 * stream as in {@code chat-completion-stream.txt} (a role chunk, content chunks, a finish chunk, a usage chunk,
 * {@code [DONE]}) or one JSON document as in {@code chat-completion.json}.
 */
public final class OpenAiAnswer {

    private static final String HEAD = "{\"id\":\"chatcmpl-cli-test\",\"object\":\"chat.completion.chunk\",\"created\":1741570290,"
            + "\"model\":\"gpt-4.1-mini-2025-04-14\",\"choices\":[{\"index\":0,\"delta\":";

    private OpenAiAnswer() {
    }

    /** The same text as one {@code chat.completion} JSON answer, for requests that do not stream. */
    public static MockResponse json(String text) {
        String body = "{\"id\":\"chatcmpl-cli-test\",\"object\":\"chat.completion\",\"created\":1741570283,"
                + "\"model\":\"gpt-4.1-mini-2025-04-14\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":" + Json.write(text) + ",\"refusal\":null},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":27,\"completion_tokens\":14,\"total_tokens\":41}}";
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    public static MockResponse stream(String text) {
        StringBuilder body = new StringBuilder();
        body.append("data: ").append(HEAD).append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n");
        for (int i = 0; i < text.length(); i += 16) {
            String piece = text.substring(i, Math.min(text.length(), i + 16));
            body.append("data: ").append(HEAD).append("{\"content\":").append(Json.write(piece))
                    .append("},\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        body.append("data: ").append(HEAD).append("{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        body.append("data: {\"id\":\"chatcmpl-cli-test\",\"object\":\"chat.completion.chunk\",\"created\":1741570290,")
                .append("\"model\":\"gpt-4.1-mini-2025-04-14\",\"choices\":[],\"usage\":{\"prompt_tokens\":24,")
                .append("\"completion_tokens\":").append(Math.max(1, text.length() / 4)).append(",\"total_tokens\":")
                .append(24 + Math.max(1, text.length() / 4)).append("}}\n\n");
        body.append("data: [DONE]\n\n");
        return OpenAiFixtures.eventStream(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
