package com.monkeycoder.daemon.server;

import com.monkeycoder.shared.net.Cidr;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTest {

    private static final ClientAddresses BEHIND_TWO_PROXIES = new ClientAddresses(Cidr.parseList("10.0.0.0/8,192.0.2.10"));

    private static InetAddress ip(String literal) {
        return Cidr.literal(literal).orElseThrow();
    }

    private static HeaderMap headers(String... nameValue) {
        HeaderMap h = new HeaderMap();
        for (int i = 0; i < nameValue.length; i += 2) {
            h.add(HttpString.tryFromString(nameValue[i]), nameValue[i + 1]);
        }
        return h;
    }

    @Test
    void fromATrustedPeerTheRightmostUntrustedHopIsTheClientNotWhatTheClientWrote() {
        HeaderMap h = headers("X-Forwarded-For", "6.6.6.6, 203.0.113.9", "X-Forwarded-For", "10.1.2.3");

        assertThat(BEHIND_TWO_PROXIES.bucket(ip("192.0.2.10"), h)).isEqualTo("203.0.113.9");
    }

    @Test
    void fromAnUntrustedPeerTheHeadersAreIgnored() {
        HeaderMap h = headers("X-Forwarded-For", "203.0.113.9", "Forwarded", "for=203.0.113.8");

        assertThat(BEHIND_TWO_PROXIES.bucket(ip("198.51.100.1"), h)).isEqualTo("198.51.100.1");
        assertThat(new ClientAddresses(java.util.List.of()).bucket(ip("127.0.0.1"), h)).isEqualTo("127.0.0.1");
    }

    @Test
    void forwardedIsReadWhenThereIsNoXForwardedFor() {
        HeaderMap h = headers("Forwarded", "for=198.51.100.4;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1");

        assertThat(BEHIND_TWO_PROXIES.bucket(ip("10.0.0.1"), h)).isEqualTo("2001:db8:cafe:0:0:0:0:0/64");
    }

    @Test
    void ipv6IsBucketedBySlash64AndPortsAndGarbageAreHandled() {
        ClientAddresses c = new ClientAddresses(java.util.List.of());
        assertThat(c.bucket(ip("2001:db8:1:2::1"), new HeaderMap()))
                .isEqualTo(c.bucket(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), new HeaderMap()))
                .isNotEqualTo(c.bucket(ip("2001:db8:1:3::1"), new HeaderMap()));
        assertThat(BEHIND_TWO_PROXIES.bucket(ip("10.0.0.1"), headers("X-Forwarded-For", "192.0.2.44:5120")))
                .isEqualTo("192.0.2.44");
        assertThat(BEHIND_TWO_PROXIES.bucket(ip("10.0.0.1"), headers("X-Forwarded-For", "unknown")))
                .as("no usable hop: the proxy itself").isEqualTo("10.0.0.1");
        assertThat(BEHIND_TWO_PROXIES.bucket(ip("10.0.0.1"), headers("X-Forwarded-For", "evil.example.com")))
                .isEqualTo("10.0.0.1");
        assertThat(c.bucket(null, new HeaderMap())).isEqualTo("unknown");
    }
}
