package com.monkeycoder.daemon.logging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.metrics.RequestTrace;
import com.monkeycoder.shared.Json;
import com.monkeycoder.daemon.conversation.Message;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One JSON line per request (request id, key id, route, provider, model, status, tokens, cost, latency,
 * overhead, cache, and the error code and reason of a failed one) written to the daemon's log. The request's own thread only queues its finished trace; one
 * writer thread turns traces into lines and writes them in batches, so logging adds no I/O to a request.
 *
 * <p>A line holds the caller's key id (never the key), and the messages sent upstream only when prompt
 * logging is on ({@code log_prompts}). If the writer falls behind by {@value #CAPACITY} lines, lines are
 * dropped and counted rather than slowing requests down.
 */
public final class RequestLog implements AutoCloseable {

    private static final int CAPACITY = 65_536;
    private static final Object STOP = new Object();
    /** Probes and scrapes come every few seconds and say nothing about usage: they get no line. */
    private static final Set<String> UNLOGGED = Set.of("/health", "/ready", "/metrics");

    private final Consumer<String> sink;
    private final Runnable flushSink;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    /**
     * @param sink      receives each line (without its newline)
     * @param flushSink called after each batch of lines
     */
    public RequestLog(Consumer<String> sink, Runnable flushSink) {
        this.sink = sink;
        this.flushSink = flushSink;
        this.writer = sink == null ? null : Thread.ofPlatform().name("request-log").daemon(true).start(this::writeLoop);
    }

    /** A log that writes nothing ({@code request_log: false}). */
    public static RequestLog off() {
        return new RequestLog(null, null);
    }

    /** A log to a stream (the daemon's stderr), one line per request. */
    public static RequestLog to(PrintStream out) {
        return new RequestLog(out::println, out::flush);
    }

    /** Queues one finished request; never blocks. */
    public void log(RequestTrace trace) {
        if (writer == null || UNLOGGED.contains(trace.route())) {
            return;
        }
        if (!queue.offer(trace)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Waits until every line queued before this call is written (tests; shutdown). */
    public void flush() {
        if (writer == null) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            if (queue.offer(done, 5, TimeUnit.SECONDS)) {
                done.get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a log that cannot flush in time is not worth failing a shutdown for
        }
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(256);
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, 255);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = false;
            for (Object item : batch) {
                if (item instanceof RequestTrace trace) {
                    try {
                        sink.accept(line(trace));
                    } catch (RuntimeException e) {
                        dropped.incrementAndGet();
                    }
                } else if (item instanceof CompletableFuture<?> marker) {
                    flushSink.run();
                    marker.complete(null);
                } else if (item == STOP) {
                    stop = true;
                }
            }
            flushSink.run();
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    /** Milliseconds, always three digits ({@code 2026-11-23T02:09:31.070Z}), so lines sort and parse alike. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    static String timestamp(Instant at) {
        return TIMESTAMP.format(at);
    }

    /** The JSON line of one request. */
    static String line(RequestTrace t) {
        StringWriter out = new StringWriter(384);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", timestamp(Instant.now()));
            g.writeStringField("level", "INFO");
            g.writeStringField("event", "request");
            g.writeStringField("request_id", t.requestId());
            g.writeStringField("key_id", t.caller() == null ? null : t.caller().keyId());
            g.writeStringField("method", t.method());
            g.writeStringField("route", t.route());
            g.writeNumberField("status", t.status());
            LedgerRow row = t.row();
            g.writeStringField("provider", row == null ? null : row.provider());
            g.writeStringField("model", row == null ? null : row.model());
            if (row != null) {
                g.writeNumberField("prompt_tokens", row.promptTokens());
                g.writeNumberField("completion_tokens", row.completionTokens());
                g.writeNumberField("cost_micros", row.costMicros());
            }
            g.writeBooleanField("stream", t.streamed());
            g.writeNumberField("latency_ms", millis(t.totalNanos()));
            g.writeNumberField("upstream_ms", millis(t.upstreamNanos()));
            g.writeNumberField("overhead_ms", millis(t.overheadNanos()));
            if (t.streamed()) {
                g.writeNumberField("ttft_ms", millis(t.firstByteNanos()));
            }
            g.writeStringField("cache", t.cacheHit() == null ? null : t.cacheHit() ? "hit" : "miss");
            if (t.errorCode() != null) {
                g.writeStringField("error_code", t.errorCode());
                g.writeStringField("error_reason", t.errorReason());
            }
            if (t.retries() > 0) {
                g.writeNumberField("retries", t.retries());
            }
            if (t.failovers() > 0) {
                g.writeNumberField("failovers", t.failovers());
            }
            if (t.prompt() != null) {
                g.writeArrayFieldStart("prompt");
                for (Message m : t.prompt()) {
                    g.writeStartObject();
                    g.writeStringField("role", m.role().name().toLowerCase());
                    g.writeStringField("content", m.text());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Milliseconds with microsecond precision, cut as the X-Monkey-Overhead-Ms header cuts them. */
    private static double millis(long nanos) {
        return (Math.max(0, nanos) / 1_000) / 1_000.0;
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        try {
            queue.put(STOP);
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
