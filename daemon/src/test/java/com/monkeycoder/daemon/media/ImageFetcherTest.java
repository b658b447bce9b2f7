package com.monkeycoder.daemon.media;

import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ImageFetcherTest {

    /** The first bytes of a PNG file and a little more: what the fetcher sniffs. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H',
            'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1};
    private static final OkHttpClient HTTP = new OkHttpClient();
    /** Test only: the mock server's loopback address and nothing else (production allows no loopback at all). */
    private static final AddressPolicy MOCK_ONLY = a -> a.getHostAddress().equals("127.0.0.1");

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    /** A fetcher that may reach the mock server over plain http; short timeouts, a 1 KiB cap, no cache. */
    private static ImageFetcher local(AddressPolicy policy, ImageFetcher.Resolver resolver, Duration ttl) {
        return new ImageFetcher(HTTP, policy, resolver, true, Duration.ofMillis(500), Duration.ofMillis(700), 1024,
                ttl);
    }

    private static ImageFetcher local() {
        return local(MOCK_ONLY, ImageFetcher.Resolver.SYSTEM, Duration.ZERO);
    }

    private static ApiError refusal(ImageFetcher fetcher, String url) {
        ApiError e = catchThrowableOfType(ApiError.class, () -> fetcher.fetch(url));
        assertThat(e).as(url).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.details()).containsEntry("field", "image url");
        return e;
    }

    private String url(String path) {
        return server.url(path).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/a.png", "https://127.1.2.3/a.png", "https://10.1.2.3/a.png",
            "https://172.16.0.1/a.png", "https://172.31.255.255/a.png", "https://192.168.1.1/a.png",
            "https://169.254.169.254/latest/meta-data/", "https://[::1]/a.png", "https://[fd00::1]/a.png",
            "https://[fe80::1]/a.png", "https://[::ffff:127.0.0.1]/a.png", "https://[::ffff:169.254.169.254]/",
            "https://[::127.0.0.1]/a.png", "https://[64:ff9b::10.0.0.1]/a.png", "https://[2002:7f00:1::]/a.png",
            "https://0.0.0.0/a.png", "https://[::]/a.png", "https://100.64.0.1/a.png", "https://192.0.0.8/a.png",
            "https://198.18.0.1/a.png", "https://224.0.0.1/a.png", "https://255.255.255.255/a.png",
            "https://localhost/a.png"})
    void productionRefusesEveryAddressThatIsNotPublicBeforeConnecting(String url) {
        ApiError e = refusal(new ImageFetcher(HTTP), url);

        assertThat(e.details().get("problem").toString()).contains("private, local or reserved address");
    }

    @Test
    void productionPolicyAllowsPublicAddresses() throws Exception {
        for (String ip : List.of("8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
                "64:ff9b::808:808", "172.32.0.1", "100.128.0.1")) {
            assertThat(AddressPolicy.isPublic(InetAddress.getByName(ip))).as(ip).isTrue();
        }
    }

    @Test
    void productionRefusesPlainHttpWithoutResolvingTheHost() {
        AtomicInteger lookups = new AtomicInteger();
        ImageFetcher fetcher = new ImageFetcher(HTTP, AddressPolicy.publicOnly(), host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getByName("8.8.8.8"));
        }, false, ImageFetcher.CONNECT_TIMEOUT, ImageFetcher.CALL_TIMEOUT, 1024, Duration.ZERO);

        assertThat(refusal(fetcher, "http://example.com/a.png").getMessage()).contains("https");
        assertThat(refusal(fetcher, "ftp://example.com/a.png").getMessage()).contains("not a valid http(s) URL");
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() {
        ImageFetcher fetcher = new ImageFetcher(HTTP, AddressPolicy.publicOnly(), host -> List.of(
                InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.7")), false,
                ImageFetcher.CONNECT_TIMEOUT, ImageFetcher.CALL_TIMEOUT, 1024, Duration.ZERO);

        assertThat(refusal(fetcher, "https://mixed.example/a.png").getMessage())
                .contains("private, local or reserved").doesNotContain("10.0.0.7");
    }

    @Test
    void pngBytesBecomeAnInlineImageWithTheirMediaType() throws Exception {
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(PNG)));

        Part.Image image = local().fetch(url("/cat.png"));

        assertThat(image.inline()).isTrue();
        assertThat(image.mediaType()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(image.data())).isEqualTo(PNG);
        assertThat(server.takeRequest().getHeader("Accept")).contains("image/png");
    }

    @Test
    void theBytesDecideWhenTheTypeIsMissingGenericOrWrong() {
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] webp = "RIFF\u0024\u0000\u0000\u0000WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/octet-stream")
                .setBody(new Buffer().write(jpeg)));
        server.enqueue(new MockResponse().removeHeader("Content-Type").setBody(new Buffer().write(gif)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(webp)));
        ImageFetcher fetcher = local();

        assertThat(fetcher.fetch(url("/a")).mediaType()).isEqualTo("image/jpeg");
        assertThat(fetcher.fetch(url("/b")).mediaType()).isEqualTo("image/gif");
        assertThat(fetcher.fetch(url("/c")).mediaType()).isEqualTo("image/webp");
    }

    @Test
    void aBodyThatIsNotAnImageIsRefused() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/html").setBody("<html>login</html>"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/svg+xml").setBody("<svg/>"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody("<html>not really</html>"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png"));
        ImageFetcher fetcher = local();

        assertThat(refusal(fetcher, url("/page")).getMessage()).contains("is text/html, not an image");
        assertThat(refusal(fetcher, url("/vector")).getMessage()).contains("is image/svg+xml");
        assertThat(refusal(fetcher, url("/liar")).getMessage()).contains("is not a JPEG, PNG, GIF or WebP image");
        assertThat(refusal(fetcher, url("/empty")).getMessage()).contains("empty body");
    }

    @Test
    void anOversizedBodyIsRefusedWithOrWithoutContentLength() {
        byte[] big = Arrays.copyOf(PNG, 4096);
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(big)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png")
                .setChunkedBody(new Buffer().write(big), 256));
        ImageFetcher fetcher = local();

        assertThat(refusal(fetcher, url("/declared")).getMessage()).contains("larger than 1024 bytes");
        assertThat(refusal(fetcher, url("/chunked")).getMessage()).contains("larger than 1024 bytes");
    }

    @Test
    void anUpstreamErrorIsRefused() {
        server.enqueue(new MockResponse().setResponseCode(404));

        assertThat(refusal(local(), url("/gone")).getMessage()).contains("answered HTTP 404");
    }

    @Test
    void aRedirectIsCheckedLikeTheFirstUrl() {
        int port = server.getPort();
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "http://[::1]:" + port + "/x"));
        server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", "http://10.0.0.1:" + port + "/x"));
        server.enqueue(new MockResponse().setResponseCode(307)
                .setHeader("Location", "http://169.254.169.254/latest/meta-data/"));
        ImageFetcher fetcher = local();

        assertThat(refusal(fetcher, url("/to-ipv6-loopback")).getMessage()).contains("private, local or reserved");
        assertThat(refusal(fetcher, url("/to-private")).getMessage()).contains("private, local or reserved");
        assertThat(refusal(fetcher, url("/to-metadata")).getMessage()).contains("private, local or reserved");
        assertThat(server.getRequestCount()).isEqualTo(3); // nothing reached past the refused redirects
    }

    @Test
    void anAllowedRedirectIsFollowedAndTooManyAreNot() {
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/real.png"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(PNG)));
        for (int i = 0; i <= ImageFetcher.MAX_REDIRECTS; i++) {
            server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/again"));
        }
        ImageFetcher fetcher = local();

        assertThat(fetcher.fetch(url("/moved.png")).mediaType()).isEqualTo("image/png");
        assertThat(refusal(fetcher, url("/loop")).getMessage()).contains("redirects more than 3 times");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        long started = System.nanoTime();

        ApiError e = refusal(local(), url("/hang"));

        assertThat(e.getMessage()).contains("within 700 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBodyThatTricklesPastTheCallTimeoutTimesOut() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(PNG))
                .throttleBody(4, 200, java.util.concurrent.TimeUnit.MILLISECONDS));

        assertThat(refusal(local(), url("/slow")).getMessage()).contains("within 700 ms");
    }

    @Test
    void theConnectionGoesToTheVettedAddressWhateverTheNameResolvesToLater() throws Exception {
        // The resolver answers 127.0.0.1 once, then an address that would be refused: only the first is used.
        AtomicInteger lookups = new AtomicInteger();
        ImageFetcher.Resolver rebinding = host -> List.of(InetAddress.getByName(
                lookups.incrementAndGet() == 1 ? "127.0.0.1" : "10.9.9.9"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(PNG)));

        Part.Image image = local(MOCK_ONLY, rebinding, Duration.ZERO)
                .fetch("http://images.invalid:" + server.getPort() + "/cat.png");

        assertThat(image.mediaType()).isEqualTo("image/png");
        assertThat(lookups).hasValue(1);
        assertThat(server.takeRequest().getHeader("Host")).isEqualTo("images.invalid:" + server.getPort());
    }

    @Test
    void aFetchedImageIsKeptSoAFailoverDoesNotFetchItAgain() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(PNG)));
        ImageFetcher fetcher = local(MOCK_ONLY, ImageFetcher.Resolver.SYSTEM, Duration.ofMinutes(1));

        Part.Image first = fetcher.fetch(url("/cat.png"));
        Part.Image second = fetcher.fetch(url("/cat.png"));

        assertThat(second).isEqualTo(first);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
