package com.monkeycoder.daemon.config;

import com.monkeycoder.shared.config.ConfigKey;

import java.time.Duration;

/** How long the audit log keeps an event ({@code audit_retention_days}), resolved as every setting is. */
public record AuditSettings(Duration retention) {

    public static AuditSettings resolve(GatewayConfig config) {
        int days = Math.max(1, HistorySettings.number(config.env(), ObservabilitySettings.settingsFile(config),
                ConfigKey.AUDIT_RETENTION_DAYS));
        return new AuditSettings(Duration.ofDays(days));
    }
}
