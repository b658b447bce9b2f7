package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * How the router retries and fails over: at most {@code maxAttempts} provider calls within {@code maxTotal}
 * before the first byte reaches the client; a provider's circuit opens after {@code breakerThreshold} failures
 * in a row and lets a probe through after {@code breakerCooldown}. {@code tableOverride} is config.json's
 * {@code routing} object (null when absent). A streamed answer that runs longer than {@code maxStream} is ended
 * with the dialect's error event.
 */
public record RoutingSettings(int maxAttempts, Duration maxTotal, Duration baseBackoff, int breakerThreshold,
                              Duration breakerCooldown, JsonNode tableOverride,
                              Duration maxStream) {
}
