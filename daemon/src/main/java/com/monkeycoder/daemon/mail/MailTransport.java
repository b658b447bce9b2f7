package com.monkeycoder.daemon.mail;

/** Delivers one mail now, blocking until the server took it or refused it: what {@link MailQueue} calls. */
@FunctionalInterface
public interface MailTransport {

    void deliver(Mail mail) throws Exception;
}
