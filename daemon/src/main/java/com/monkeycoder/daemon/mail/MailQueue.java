package com.monkeycoder.daemon.mail;

import com.monkeycoder.shared.Redaction;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's {@link Mailer}: a bounded queue and one sender thread. {@link #send} only queues, so a request never
 * waits for an SMTP server; the thread delivers in order, retrying a failed delivery a few times with a growing
 * pause, and logs a mail it gives up on by its subject and the recipient's domain, with the reason redacted (never
 * the SMTP password, never the mail's text, which may hold a token). A full queue drops the new mail with a warning:
 * a flood of mail cannot grow the heap.
 */
public final class MailQueue implements Mailer, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MailQueue.class.getName());
    private static final Mail STOP = new Mail("stop@invalid", "", "");

    private final MailTransport transport;
    private final BlockingQueue<Mail> queue;
    private final int attempts;
    private final Duration firstPause;
    private final String secret;
    private final Thread sender;
    private volatile boolean closed;

    /**
     * @param capacity   mails waiting at most; more are dropped
     * @param attempts   deliveries tried per mail before it is given up
     * @param firstPause the pause after the first failure, doubled after each further one
     * @param secret     a text never to appear in a log line (the SMTP password), or null
     */
    public MailQueue(MailTransport transport, int capacity, int attempts, Duration firstPause, String secret) {
        this.transport = transport;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.attempts = Math.max(1, attempts);
        this.firstPause = firstPause;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.sender = Thread.ofPlatform().name("mail-sender").daemon(true).start(this::run);
    }

    /** Three tries a mail, 2 s then 4 s apart, a thousand mails waiting at most. */
    public static MailQueue of(MailTransport transport, String secret) {
        return new MailQueue(transport, 1000, 3, Duration.ofSeconds(2), secret);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean send(Mail mail) {
        if (closed) {
            return false;
        }
        if (!queue.offer(mail)) {
            LOG.log(System.Logger.Level.WARNING, "mail queue full (" + queue.size() + " waiting): dropped \""
                    + mail.subject() + "\" to " + domain(mail.to()));
            return false;
        }
        return true;
    }

    /** Mails waiting to be sent, the one being sent included. */
    public int pending() {
        return queue.size();
    }

    private void run() {
        while (true) {
            Mail mail;
            try {
                mail = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (mail == STOP) {
                return;
            }
            if (!deliver(mail)) {
                return;
            }
        }
    }

    /** Tries the mail up to {@link #attempts} times; false when interrupted (closing). */
    private boolean deliver(Mail mail) {
        Duration pause = firstPause;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                transport.deliver(mail);
                return true;
            } catch (Exception e) {
                String reason = redact(e);
                if (attempt == attempts) {
                    LOG.log(System.Logger.Level.WARNING, "could not send \"" + mail.subject() + "\" to "
                            + domain(mail.to()) + " through " + transport + " after " + attempts + " attempts: " + reason);
                    return true;
                }
                LOG.log(System.Logger.Level.INFO, "sending \"" + mail.subject() + "\" through " + transport
                        + " failed (attempt " + attempt + " of " + attempts + "), trying again in "
                        + pause.toMillis() + " ms: " + reason);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return false;
            }
            pause = pause.multipliedBy(2);
        }
        return true;
    }

    /** The reason of a failure as a log line may show it: URL user-info, password parameters and the password out. */
    String redact(Exception e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 600; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        String out = Redaction.secrets(text.toString());
        return secret == null ? out : out.replace(secret, "***");
    }

    /** The recipient's domain only: the log names no one's address. */
    private static String domain(String to) {
        int at = to.lastIndexOf('@');
        return at < 0 ? "(no domain)" : "a recipient at " + to.substring(at + 1).replaceAll("[>\\s]", "");
    }

    /** Stops taking mail and gives the thread up to 5 s to send what is queued. */
    @Override
    public void close() {
        closed = true;
        if (!queue.offer(STOP)) {
            sender.interrupt();
        }
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            sender.interrupt();
            LOG.log(System.Logger.Level.WARNING, "stopped with " + queue.size() + " mails unsent");
        }
    }
}
