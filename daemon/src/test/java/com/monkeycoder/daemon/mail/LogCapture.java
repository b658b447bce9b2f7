package com.monkeycoder.daemon.mail;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Everything the gateway logs (through java.util.logging) while a test runs, to show no secret is in it. */
final class LogCapture extends Handler {

    private final StringBuffer text = new StringBuffer();
    private final SimpleFormatter formatter = new SimpleFormatter();

    void start() {
        setLevel(Level.ALL);
        Logger.getLogger("").addHandler(this);
    }

    void stop() {
        Logger.getLogger("").removeHandler(this);
    }

    String text() {
        return text.toString();
    }

    @Override
    public void publish(LogRecord record) {
        text.append(formatter.format(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
