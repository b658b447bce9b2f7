package com.monkeycoder.daemon.config;

import java.time.Duration;

/**
 * One provider's own timeouts, from config.json's {@code providers.<name>} ({@code connect_timeout_seconds},
 * {@code timeout_seconds}); either may be null to keep the gateway-wide value.
 */
public record ProviderTimeouts(Duration connect, Duration read) {
}
