package com.monkeycoder.daemon.server;

import com.monkeycoder.shared.net.Cidr;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a client is, for the login and registration throttles. The TCP peer, unless the peer is one of the
 * operator's trusted proxies ({@code trusted_proxies}): then the address its proxies report, read from
 * {@code X-Forwarded-For} when present, else from {@code Forwarded}, right to left, skipping the trusted proxies'
 * own hops, so a client cannot choose its address by sending the header itself. A header from any other peer is
 * ignored. IPv6 clients are throttled by their /64, which is what one subscriber usually gets.
 */
public final class ClientAddresses {

    private static final HttpString X_FORWARDED_FOR = HttpString.tryFromString("X-Forwarded-For");
    private static final HttpString FORWARDED = HttpString.tryFromString("Forwarded");

    private final List<Cidr> trusted;

    public ClientAddresses(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** The throttle bucket of the client: {@code 192.0.2.7}, or {@code 2001:db8:1:2:0:0:0:0/64}; "unknown" without a peer. */
    public String bucket(InetAddress peer, HeaderMap headers) {
        InetAddress client = client(peer, headers);
        if (client == null) {
            return "unknown";
        }
        if (client instanceof Inet6Address) {
            return new Cidr(Cidr.mask(client.getAddress(), 64), 64).toString();
        }
        return client.getHostAddress();
    }

    /** The client's address: the peer, or when the peer is a trusted proxy, the first untrusted hop it reports. */
    /** The client's address and User-Agent, as the audit log records them. */
    public com.monkeycoder.daemon.audit.Origin origin(HttpCall call) {
        java.net.InetSocketAddress source = call.exchange().getSourceAddress();
        InetAddress client = client(source == null ? null : source.getAddress(), call.exchange().getRequestHeaders());
        return new com.monkeycoder.daemon.audit.Origin(client == null ? null : client.getHostAddress(),
                call.exchange().getRequestHeaders().getFirst(io.undertow.util.Headers.USER_AGENT));
    }

    public InetAddress client(InetAddress peer, HeaderMap headers) {
        if (peer == null || !trusted(peer)) {
            return peer;
        }
        List<String> hops = headers.contains(X_FORWARDED_FOR) ? xForwardedFor(headers.get(X_FORWARDED_FOR))
                : headers.contains(FORWARDED) ? forwarded(headers.get(FORWARDED)) : List.of();
        InetAddress last = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = Cidr.literal(withoutPort(hops.get(i)));
            if (hop.isEmpty()) {
                return last; // "unknown" or garbage: what the last trusted hop saw is all that is known
            }
            if (!trusted(hop.get())) {
                return hop.get();
            }
            last = hop.get();
        }
        return last;
    }

    private boolean trusted(InetAddress address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> xForwardedFor(HeaderValues values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** The {@code for=} of each element of RFC 7239 {@code Forwarded}, in order. */
    private static List<String> forwarded(HeaderValues values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String element : v.split(",")) {
                String found = "";
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                        found = pair.substring(eq + 1).strip().replace("\"", "");
                    }
                }
                out.add(found);
            }
        }
        return out;
    }

    /** {@code [2001:db8::1]:4711} to {@code 2001:db8::1}, {@code 192.0.2.1:80} to {@code 192.0.2.1}. */
    static String withoutPort(String hop) {
        String h = hop.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h;
        }
        int colon = h.indexOf(':');
        if (colon > 0 && colon == h.lastIndexOf(':') && h.indexOf('.') > 0) {
            return h.substring(0, colon);
        }
        return h;
    }
}
