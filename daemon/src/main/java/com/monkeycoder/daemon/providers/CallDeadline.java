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
 * The timeouts of every provider call, in place of OkHttp's own: the whole-call deadline (its response body, a stream,
 * included) and the read timeout (time to the response headers, then between reads of the body while the gateway
 * waits on one). OkHttp's are okio {@code AsyncTimeout}s: each call and each socket read and write enters one
 * deadline-sorted list under one global lock, with an O(n) insertion and removal, and under load that lock was 11% of
 * the gateway's samples. The client is therefore built with {@code readTimeout(0)}, {@code writeTimeout(0)} and no
 * {@code callTimeout}, and these interceptors do the work.
 *
 * <p>A call's deadline is checked on its own thread at each read of its body (no lock), and a daemon thread looks over
 * the calls in flight every {@link #TICK_MILLIS} ms and cancels any past its deadline, or blocked in one read (the
 * headers, or a read of the body) for longer than its read timeout. A call cut so fails with
 * {@code InterruptedIOException("timeout")}, as OkHttp's timeouts did, so it still reads as "did not answer in time".
 * A body the gateway is not reading (its client is slow) is not timed out by the read timeout, as before.
 */
public final class CallDeadline implements AutoCloseable {

    static final long TICK_MILLIS = 50;

    private final long deadlineNanos;
    private final Set<Entry> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean closed;

    public CallDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
        this.watchdog = Thread.ofPlatform().daemon().name("upstream-timeouts").unstarted(this::watch);
        this.watchdog.start();
    }

    /** The interceptor for a client whose reads time out after {@code readTimeout} (null or zero: never). */
    public Interceptor interceptor(Duration readTimeout) {
        long read = readTimeout == null ? 0 : readTimeout.toNanos();
        return new Watch(this, read);
    }

    /** One client's interceptor: its read timeout, the shared deadline and watchdog. */
    record Watch(CallDeadline owner, long readTimeoutNanos) implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            return owner.intercept(chain, readTimeoutNanos);
        }
    }

    private static final class Entry {
        final Call call;
        final long deadline;
        final long readTimeout;
        /** When the read in progress began (headers included); 0 when none is. */
        volatile long readingSince;
        volatile boolean expired;

        Entry(Call call, long now, long deadline, long readTimeout) {
            this.call = call;
            this.deadline = deadline;
            this.readTimeout = readTimeout;
            this.readingSince = now;
        }

        boolean overdue(long now) {
            if (now - deadline > 0) {
                return true;
            }
            long since = readingSince;
            return readTimeout > 0 && since != 0 && now - since > readTimeout;
        }
    }

    private Response intercept(Interceptor.Chain chain, long readTimeout) throws IOException {
        long now = System.nanoTime();
        Entry entry = new Entry(chain.call(), now, now + deadlineNanos, readTimeout);
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
        entry.readingSince = 0;
        ResponseBody body = response.body();
        if (body == null) {
            inFlight.remove(entry);
            return response;
        }
        Source watched = new ForwardingSource(body.source()) {
            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                long started = System.nanoTime();
                if (entry.expired || started - entry.deadline > 0) {
                    entry.expired = true;
                    throw new InterruptedIOException("timeout");
                }
                entry.readingSince = started;
                try {
                    return super.read(sink, byteCount);
                } catch (IOException e) {
                    throw entry.expired ? expiredError(e) : e;
                } finally {
                    entry.readingSince = 0;
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

    private void watch() {
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Entry entry : inFlight) {
                if (entry.overdue(now)) {
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
