package com.monkeycoder.bench;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake OpenAI Chat Completions upstream for the benchmark: answers {@code POST /v1/chat/completions} as JSON or
 * as a chunked event stream, with usage. The shape of each answer is read from the prompt itself, as
 * {@code key=value} words, so the same request means the same answer whether it comes straight from the load
 * generator or through a gateway (which passes messages on untouched):
 * <ul>
 *   <li>{@code latency_ms} — pause before the answer (or its first event); default 0</li>
 *   <li>{@code words} — words in the answer; default 40</li>
 *   <li>{@code chunks} — content events of a stream; default 50</li>
 *   <li>{@code delay_ms} — pause between stream events; default 0</li>
 * </ul>
 * Usage: {@code FakeUpstream PORT [--fail-percent N]} (port 0 for any); prints {@code listening PORT} once ready.
 * With {@code --fail-percent N} this instance answers N% of chat requests, at random, with OpenAI's 503
 * "overloaded" error instead: a failing provider for the failover run. It is an option of the instance, not a
 * prompt word, because the failover run sends the same request to a failing and a healthy upstream.
 * {@code GET /stats} answers {@code {"requests":N,"failed":M}}: the chat requests seen so far, so the bench can
 * check that cache hits made no upstream call.
 */
public final class FakeUpstream {

    private static final Pattern PARAM = Pattern.compile("(latency_ms|words|chunks|delay_ms)=(\\d+)");
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final Map<Integer, byte[]> ANSWERS = new ConcurrentHashMap<>();
    private static final byte[] OVERLOADED = ("{\"error\":{\"message\":\"The server is overloaded (bench fault injection)\","
            + "\"type\":\"server_error\",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8);
    private static final LongAdder REQUESTS = new LongAdder();
    private static final LongAdder FAILED = new LongAdder();
    private static int failPercent;

    private FakeUpstream() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].equals("--fail-percent")) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            failPercent = Integer.parseInt(args[i + 1]);
        }
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        HttpHandler handler = new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) throws Exception {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(threads, this);
                    return;
                }
                exchange.startBlocking();
                answer(exchange);
            }
        };
        Undertow server = Undertow.builder().addHttpListener(port, "127.0.0.1")
                .setIoThreads(2).setWorkerThreads(2).setSocketOption(org.xnio.Options.BACKLOG, 4096).setHandler(handler).build();
        server.start();
        int bound = ((java.net.InetSocketAddress) server.getListenerInfo().getFirst().getAddress()).getPort();
        System.out.println("listening " + bound);
        System.out.flush();
    }

    private static void answer(HttpServerExchange exchange) throws IOException, InterruptedException {
        String body;
        try (InputStream in = exchange.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (exchange.getRequestPath().equals("/stats")) {
            byte[] stats = ("{\"requests\":" + REQUESTS.sum() + ",\"failed\":" + FAILED.sum() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getOutputStream().write(stats);
            return;
        }
        if (!exchange.getRequestPath().endsWith("/chat/completions")) {
            exchange.setStatusCode(404);
            return;
        }
        REQUESTS.increment();
        if (failPercent > 0 && ThreadLocalRandom.current().nextInt(100) < failPercent) {
            FAILED.increment();
            exchange.setStatusCode(503);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.setResponseContentLength(OVERLOADED.length);
            exchange.getOutputStream().write(OVERLOADED);
            return;
        }
        int latency = 0;
        int words = 40;
        int chunks = 50;
        int delay = 0;
        Matcher m = PARAM.matcher(body);
        while (m.find()) {
            int value = Integer.parseInt(m.group(2));
            switch (m.group(1)) {
                case "latency_ms" -> latency = value;
                case "words" -> words = value;
                case "chunks" -> chunks = value;
                default -> delay = value;
            }
        }
        if (latency > 0) {
            Thread.sleep(latency);
        }
        if (!STREAM.matcher(body).find()) {
            byte[] answer = ANSWERS.computeIfAbsent(words, FakeUpstream::json);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.setResponseContentLength(answer.length);
            try (OutputStream out = exchange.getOutputStream()) {
                out.write(answer);
            }
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
        try (OutputStream out = exchange.getOutputStream()) {
            send(out, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                    + "\"finish_reason\":null}]}");
            int perChunk = Math.max(1, words / Math.max(1, chunks));
            String piece = "word ".repeat(perChunk);
            String event = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},"
                    + "\"finish_reason\":null}]}";
            for (int i = 0; i < chunks; i++) {
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                send(out, event);
            }
            send(out, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
            send(out, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4.1-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":"
                    + chunks * perChunk + ",\"total_tokens\":" + (20 + chunks * perChunk) + "}}");
            send(out, "[DONE]");
        } catch (IOException clientGone) {
            // the client (or gateway) hung up
        }
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static byte[] json(int words) {
        String content = "word ".repeat(Math.max(1, words)).strip();
        return ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4.1-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + words
                + ",\"total_tokens\":" + (20 + words) + "},\"system_fingerprint\":null}").getBytes(StandardCharsets.UTF_8);
    }
}
