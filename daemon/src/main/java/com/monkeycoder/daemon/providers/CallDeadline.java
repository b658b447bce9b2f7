package com.monkeycoder.daemon.providers;

import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The whole-call deadline of every provider call, its response body (a stream) included, without OkHttp's
 * {@code callTimeout}. That one is an okio {@code AsyncTimeout}: every call enters a single deadline-sorted list under
 * one global lock, with an O(n) insertion, and under load the lock showed in 11% of the gateway's samples.
 *
 * <p>Here a call's deadline is checked on its own thread at each read of its body (no lock), and a daemon thread
 * looks over the calls in flight a few times a second and cancels any past its deadline: so a provider that never
 * stops sending ends at the deadline, and one that sends nothing ends at the deadline or its read timeout, whichever
 * comes first, as before. A call cut by the deadline fails with {@code InterruptedIOException("timeout")}, what
 * OkHttp's own call timeout threw, so it still reads as "did not answer in time".
 */
public final class CallDeadline implements Interceptor, AutoCloseable {

    private final long deadlineNanos;
    private final Set<Entry> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean closed;

    public CallDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
        long tick = Math.max(20, Math.min(250, deadline.toMillis() / 10));
        this.watchdog = Thread.ofPlatform().daemon().name("upstream-deadline").unstarted(() -> watch(tick));
        this.watchdog.start();
    }

    private static final class Entry {
        final Call call;
        final long deadline;
        volatile boolean expired;

        Entry(Call call, long deadline) {
            this.call = call;
            this.deadline = deadline;
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Entry entry = new Entry(chain.call(), System.nanoTime() + deadlineNanos);
        inFlight.add(entry);
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException e) {
            inFlight.remove(entry);
            throw entry.expired ? expiredError(e) : e;
        } catch (RuntimeException e) {
            inFlight.remove(entry);
            throw e;
        }
        ResponseBody body = response.body();
        if (body == null) {
            inFlight.remove(entry);
            return response;
        }
        Source watched = new ForwardingSource(body.source()) {
            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                if (entry.expired || System.nanoTime() - entry.deadline > 0) {
                    entry.expired = true;
                    throw new InterruptedIOException("timeout");
                }
                try {
                    return super.read(sink, byteCount);
                } catch (IOException e) {
                    throw entry.expired ? expiredError(e) : e;
                }
            }

            @Override
            public void close() throws IOException {
                inFlight.remove(entry);
                super.close();
            }
        };
        return response.newBuilder()
                .body(ResponseBody.create(Okio.buffer(watched), body.contentType(), body.contentLength()))
                .build();
    }

    private static InterruptedIOException expiredError(Exception cause) {
        InterruptedIOException e = new InterruptedIOException("timeout");
        e.initCause(cause);
        return e;
    }

    private void watch(long tickMillis) {
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Entry entry : inFlight) {
                if (now - entry.deadline > 0) {
                    entry.expired = true;
                    inFlight.remove(entry);
                    entry.call.cancel();
                }
            }
        }
    }

    /** Calls being watched now (for tests). */
    int inFlight() {
        return inFlight.size();
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
    }
}
