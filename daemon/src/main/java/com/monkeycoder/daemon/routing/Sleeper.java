package com.monkeycoder.daemon.routing;

import java.time.Duration;

/** Waits between retries; tests pass one that only records, so they never sleep. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
