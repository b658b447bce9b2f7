package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.config.ConfigKey;

import java.time.Duration;

/**
 * How a shared gateway starts and stops under an orchestrator.
 *
 * @param drainPause             {@code drain_pause_seconds}: after SIGTERM the port stays open this long, requests
 *                               served and {@code /ready} answering 503, so a balancer stops sending before
 *                               connections are refused. The local daemon has no balancer and never pauses.
 * @param databaseConnectTimeout {@code database_connect_timeout_seconds}: how long a start retries a database that
 *                               does not answer (a replica started before its database), zero for once
 */
public record LifecycleSettings(Duration drainPause, Duration databaseConnectTimeout) {

    public static LifecycleSettings resolve(GatewayConfig config) {
        JsonNode file = ObservabilitySettings.settingsFile(config);
        int pause = Math.max(0, HistorySettings.number(config.env(), file, ConfigKey.DRAIN_PAUSE_SECONDS));
        int connect = Math.max(0, HistorySettings.number(config.env(), file, ConfigKey.DATABASE_CONNECT_TIMEOUT_SECONDS));
        return new LifecycleSettings(config.mode() == GatewayMode.GATEWAY ? Duration.ofSeconds(pause) : Duration.ZERO,
                Duration.ofSeconds(connect));
    }
}
