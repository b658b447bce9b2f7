package com.monkeycoder.daemon.config;

import java.time.Duration;

/**
 * What keeps one slow or hostile peer from holding the gateway: the timeouts and caps of the HTTP listener, and
 * the overall deadline of each provider call (README, "The shared gateway" › Timeouts and caps).
 *
 * @param requestParseTimeout      how long a client has to send a request's line and headers once it started
 * @param noRequestTimeout         how long a connection may stay open with no request in progress
 * @param idleTimeout              how long a connection may pass no byte either way
 * @param unauthenticatedTimeout   how long a route without a key may hold its connection, body included
 * @param maxHeaderBytes           the largest request line and headers
 * @param maxConnectionsPerAddress open connections one client address may hold (0: no cap; shared gateway only)
 * @param upstreamDeadline         how long one provider call may take in all, its stream included
 */
public record AvailabilitySettings(Duration requestParseTimeout, Duration noRequestTimeout, Duration idleTimeout,
                                   Duration unauthenticatedTimeout, int maxHeaderBytes, int maxConnectionsPerAddress,
                                   Duration upstreamDeadline) {
}
