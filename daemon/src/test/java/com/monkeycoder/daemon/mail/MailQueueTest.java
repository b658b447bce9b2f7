package com.monkeycoder.daemon.mail;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class MailQueueTest {

    private static final Mail MAIL = new Mail("ada@example.com", "hello", "the token is mkv_secret");

    @Test
    void sendReturnsAtOnceWhileTheServerIsSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Mail> sent = new CopyOnWriteArrayList<>();
        try (MailQueue queue = new MailQueue(mail -> {
            release.await();
            sent.add(mail);
        }, 10, 1, Duration.ofMillis(1), null)) {
            long started = System.nanoTime();
            assertThat(queue.send(MAIL)).isTrue();
            assertThat(queue.send(MAIL)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
            release.countDown();
        }
        assertThat(sent).hasSize(2);
    }

    @Test
    void aFailedDeliveryIsRetriedAndThenGivenUpWithoutTheSecretInTheLog() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(3);
        LogCapture logs = new LogCapture();
        logs.start();
        try (MailQueue queue = new MailQueue(mail -> {
            tries.incrementAndGet();
            done.countDown();
            throw new jakarta.mail.AuthenticationFailedException("535 bad credentials for user:pw-Secret9@smtp, pw-Secret9");
        }, 10, 3, Duration.ofMillis(5), "pw-Secret9")) {
            queue.send(MAIL);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            logs.stop();
        }
        assertThat(tries).hasValue(3);
        assertThat(logs.text()).contains("after 3 attempts").contains("a recipient at example.com")
                .doesNotContain("pw-Secret9").doesNotContain("mkv_secret").doesNotContain("ada@");
    }

    @Test
    void aFullQueueDropsTheNewMail() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (MailQueue queue = new MailQueue(mail -> release.await(), 1, 1, Duration.ofMillis(1), null)) {
            queue.send(MAIL); // taken by the sender, which waits
            Thread.sleep(100);
            assertThat(queue.send(MAIL)).isTrue();
            assertThat(queue.send(MAIL)).isFalse();
            release.countDown();
        }
    }
}
