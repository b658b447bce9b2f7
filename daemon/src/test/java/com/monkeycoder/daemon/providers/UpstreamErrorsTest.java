package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.providers.ProviderException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

// Retry-After as RFC 9110 §10.2.3 defines it: delay-seconds or an HTTP-date (IMF-fixdate, §5.6.7).
class UpstreamErrorsTest {

    private static final String API_KEY = "sk-test-SECRET123456789";
    /** IMF-fixdate, the form servers send: a two-digit day and GMT. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private final UpstreamErrors errors = new UpstreamErrors("openai", API_KEY);

    @ParameterizedTest(name = "\"{0}\" -> {1}s")
    @CsvSource(delimiter = '|', value = {
            "7|7",
            "0|0",
            "' 120 '|120",
            "-3|0"})
    void retryAfterInSecondsIsThatManySeconds(String header, long seconds) {
        assertThat(UpstreamErrors.parseRetryAfter(header)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThatDate() {
        String header = IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90));

        Duration wait = UpstreamErrors.parseRetryAfter(header);

        // The date has whole seconds and the clock moves on between formatting and parsing.
        assertThat(wait).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(90));
    }

    @Test
    void retryAfterAsAnHttpDateInThePastMeansNow() {
        assertThat(UpstreamErrors.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "soon", "1.5", "99999999999999999999", "2015-10-21T07:28:00Z"})
    void retryAfterThatIsNeitherSecondsNorADateIsIgnored(String header) {
        assertThat(UpstreamErrors.parseRetryAfter(header)).isNull();
    }

    @Test
    void socketTimeoutIsATimeout() {
        assertThat(errors.fromIo(new SocketTimeoutException("Read timed out")).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void okHttpCallTimeoutIsATimeout() {
        assertThat(errors.fromIo(new InterruptedIOException("timeout")).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void otherIoFailuresAreNetworkErrorsWithoutTheKey() {
        ProviderException e = errors.fromIo(new IOException("proxy refused Bearer " + API_KEY));

        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).doesNotContain(API_KEY).doesNotContain("SECRET");
    }
}
