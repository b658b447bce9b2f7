package com.monkeycoder.daemon.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpEndpointTest {

    @Test
    void smtpMeansStartTlsRequiredOn587AndSmtpsImplicitTlsOn465() {
        SmtpEndpoint plain = SmtpEndpoint.parse("smtp://resend:re_secret%40x@smtp.resend.com");
        assertThat(plain).extracting(SmtpEndpoint::host, SmtpEndpoint::port, SmtpEndpoint::implicitTls,
                SmtpEndpoint::startTls, SmtpEndpoint::user, SmtpEndpoint::password)
                .containsExactly("smtp.resend.com", 587, false, true, "resend", "re_secret@x");
        SmtpEndpoint tls = SmtpEndpoint.parse("smtps://u:p@smtp.example.com");
        assertThat(tls.port()).isEqualTo(465);
        assertThat(tls.implicitTls()).isTrue();
        SmtpEndpoint relay = SmtpEndpoint.parse("smtp://127.0.0.1:25?tls=none");
        assertThat(relay.startTls()).isFalse();
        assertThat(relay.user()).isNull();
    }

    @Test
    void itsTextNeverShowsThePassword() {
        assertThat(SmtpEndpoint.parse("smtp://user:hunter2-pass@mail.example.com:2525").toString())
                .isEqualTo("smtp://***@mail.example.com:2525").doesNotContain("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user:hunter2-pass@mail.example.com", "smtp://user:hunter2-pass@",
            "smtps://user:hunter2-pass@mail.example.com?tls=none", "smtp://user:hunter2-pass@mail.example.com?x=1",
            "smtp://user:hunter2-pass@mail example.com"})
    void aBadUrlIsRefusedWithoutQuotingThePassword(String url) {
        assertThatThrownBy(() -> SmtpEndpoint.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("hunter2");
    }
}
