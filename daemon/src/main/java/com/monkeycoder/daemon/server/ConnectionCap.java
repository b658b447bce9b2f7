package com.monkeycoder.daemon.server;

import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the connections one client address may hold open at once: a connection beyond the cap is closed as it is
 * accepted, before a byte of it is read, so one address cannot take every socket (a slowloris from one host). The
 * count is of TCP peers: behind a load balancer every connection comes from the balancer, so the cap must be
 * raised or turned off (0) there, and enforced at the balancer instead.
 */
final class ConnectionCap implements ChannelListener<StreamConnection> {

    private final ChannelListener<StreamConnection> next;
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    ConnectionCap(ChannelListener<StreamConnection> next, int max) {
        this.next = next;
        this.max = max;
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
        InetAddress address = max <= 0 || peer == null ? null : peer.getAddress();
        if (address != null && open.merge(address, 1, Integer::sum) > max) {
            release(address);
            refused.incrementAndGet();
            IoUtils.safeClose(connection);
            return;
        }
        total.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        Runnable giveBack = () -> {
            if (released.compareAndSet(false, true)) {
                total.decrementAndGet();
                if (address != null) {
                    release(address);
                }
            }
        };
        next.handleEvent(connection);
        // Undertow's own close listener is set by now; ours runs it, then gives the slot back.
        ChannelListener<? super StreamConnection> theirs = connection.getCloseListener();
        connection.setCloseListener(closed -> {
            try {
                if (theirs != null) {
                    ChannelListeners.invokeChannelListener(closed, theirs);
                }
            } finally {
                giveBack.run();
            }
        });
        if (!connection.isOpen()) {
            giveBack.run(); // closed before our listener was in place
        }
    }

    /** Connections open now, from every address (a drain waits for the balancer to close its idle ones). */
    long open() {
        return total.get();
    }

    private void release(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections one address holds now (for tests). */
    int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    /** Connections closed at once because their address held the most already. */
    long refused() {
        return refused.get();
    }
}
