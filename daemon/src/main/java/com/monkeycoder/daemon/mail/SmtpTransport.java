package com.monkeycoder.daemon.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Sends through one SMTP server with Jakarta Mail: a connection per mail (mails are few: verifications, resets,
 * notices), with timeouts so a hung server frees the sender thread, and the server's certificate checked against
 * its name.
 */
public final class SmtpTransport implements MailTransport {

    private final SmtpEndpoint endpoint;
    private final InternetAddress from;
    private final Session session;
    private final String protocol;
    private final Clock clock;

    /**
     * @param from    the From address, {@code noreply@example.com} or {@code Monkey Coder <noreply@example.com>}
     * @param timeout for connecting, and for each read and write
     * @throws IllegalArgumentException when {@code from} is not an address
     */
    public SmtpTransport(SmtpEndpoint endpoint, String from, Duration timeout, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
        try {
            InternetAddress[] parsed = InternetAddress.parse(from, true);
            if (parsed.length != 1) {
                throw new IllegalArgumentException("must be one address, such as noreply@example.com");
            }
            this.from = parsed[0];
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("is not an address such as noreply@example.com (" + e.getMessage() + ")");
        }
        this.protocol = endpoint.implicitTls() ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", endpoint.host());
        props.put(p + "port", String.valueOf(endpoint.port()));
        props.put(p + "auth", String.valueOf(endpoint.user() != null));
        props.put(p + "connectiontimeout", String.valueOf(timeout.toMillis()));
        props.put(p + "timeout", String.valueOf(timeout.toMillis()));
        props.put(p + "writetimeout", String.valueOf(timeout.toMillis()));
        props.put(p + "ssl.checkserveridentity", "true");
        if (endpoint.startTls()) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        this.session = Session.getInstance(props);
    }

    @Override
    public void deliver(Mail mail) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(mail.to(), true));
        message.setSubject(mail.subject(), "UTF-8");
        message.setText(mail.text(), "UTF-8");
        message.setSentDate(Date.from(clock.instant()));
        message.saveChanges();
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(endpoint.host(), endpoint.port(), endpoint.user(), endpoint.password());
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** For messages: the server without its password. */
    @Override
    public String toString() {
        return endpoint.toString();
    }
}
