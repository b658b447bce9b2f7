package com.monkeycoder.daemon.mail;

/**
 * One plain-text mail to one recipient. The text may carry a single-use token (a verification or reset link):
 * nothing logs a mail's text, and its {@link #toString()} names only the recipient and subject.
 */
public record Mail(String to, String subject, String text) {

    public Mail {
        if (to == null || to.isBlank() || subject == null || text == null) {
            throw new IllegalArgumentException("a mail needs a recipient, a subject and a text");
        }
    }

    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + "]";
    }
}
