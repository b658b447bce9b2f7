package com.monkeycoder.daemon.mail;

/**
 * Sends mail without making the caller wait: {@link #send} hands the mail over and returns at once, so a slow or
 * unreachable SMTP server never slows a request. {@link #NONE} when the gateway has no SMTP server configured.
 */
public interface Mailer {

    /** Whether mail goes anywhere; the flows that need a mail (verification, password reset) ask first. */
    boolean enabled();

    /** Queues {@code mail}; false when it was dropped (no SMTP server, or the queue is full). */
    boolean send(Mail mail);

    /** No SMTP server: nothing is sent. */
    Mailer NONE = new Mailer() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean send(Mail mail) {
            return false;
        }
    };
}
