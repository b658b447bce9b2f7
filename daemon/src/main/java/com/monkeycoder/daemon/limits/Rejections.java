package com.monkeycoder.daemon.limits;

/** Told about each request the limits turn away, so /metrics can count them. */
public interface Rejections {

    Rejections NONE = new Rejections() {
        @Override
        public void rateLimited() {
        }

        @Override
        public void quotaExhausted() {
        }
    };

    /** A 429: the hourly limit was reached. */
    void rateLimited();

    /** A 402: the monthly quota is used up. */
    void quotaExhausted();
}
