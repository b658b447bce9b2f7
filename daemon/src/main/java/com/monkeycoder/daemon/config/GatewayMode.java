package com.monkeycoder.daemon.config;

/** The two ways the same server runs. */
public enum GatewayMode {
    /** One user on one machine: loopback only, SQLite, the user's own provider keys. */
    LOCAL,
    /** Many users behind a load balancer: accounts, PostgreSQL and Redis. */
    GATEWAY
}
