package com.monkeycoder.daemon.conversation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One ordered piece of a message, the common ground of every dialect and provider (docs/conversation.md).
 * {@code cacheControl} is Anthropic's prompt-cache marker, kept on the part it was set on (null when absent).
 */
public sealed interface Part {

    /** Plain text. */
    record Text(String text, JsonNode cacheControl) implements Part {
        public Text {
            text = text == null ? "" : text;
        }

        public Text(String text) {
            this(text, null);
        }
    }

    /**
     * An image, given inline ({@code mediaType} + base64 {@code data}) or by {@code url} (https or a data: URL
     * already split into the other two fields by the codec).
     */
    record Image(String mediaType, String data, String url, JsonNode cacheControl) implements Part {
        public static Image inline(String mediaType, String base64) {
            return new Image(mediaType, base64, null, null);
        }

        public static Image byUrl(String url) {
            return new Image(null, null, url, null);
        }

        public boolean inline() {
            return data != null;
        }

        /** Bytes of an inline image (base64 decoded length), 0 for a URL. */
        public long byteSize() {
            return data == null ? 0 : (long) data.length() * 3 / 4;
        }
    }

    /**
     * The model asks for a tool to run. {@code arguments} is the JSON text of the arguments as the model wrote
     * it (kept as text so it reaches the client byte for byte), always a JSON object: a call of a freeform (custom)
     * tool carries its raw input as {@code {"input": "..."}}, which the codecs that know freeform tools unwrap.
     */
    record ToolCall(String id, String name, String arguments, JsonNode cacheControl) implements Part {
        public ToolCall {
            arguments = arguments == null || arguments.isEmpty() ? "{}" : arguments;
        }

        public ToolCall(String id, String name, String arguments) {
            this(id, name, arguments, null);
        }
    }

    /** What a tool returned for the call {@code callId}: text and image parts; {@code isError} when it failed. */
    record ToolResult(String callId, List<Part> content, boolean isError, JsonNode cacheControl) implements Part {
        public ToolResult {
            content = List.copyOf(content);
        }

        /** The result's text parts joined, for providers that take a tool result as one string. */
        public String text() {
            StringBuilder out = new StringBuilder();
            for (Part p : content) {
                if (p instanceof Text t) {
                    out.append(out.isEmpty() ? "" : "\n").append(t.text());
                }
            }
            return out.toString();
        }
    }

    /**
     * The model's visible reasoning. {@code signature} is the provider's opaque proof of it (Anthropic's
     * signature, Gemini's thoughtSignature, OpenAI's encrypted reasoning content) and must go back byte for byte.
     */
    record Thinking(String text, String signature) implements Part {
        public Thinking {
            text = text == null ? "" : text;
        }
    }

    /** Reasoning the provider returned encrypted; passed back as it came. */
    record RedactedThinking(String data) implements Part {
    }
}
