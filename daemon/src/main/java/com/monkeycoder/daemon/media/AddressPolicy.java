package com.monkeycoder.daemon.media;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses the gateway may connect to when it fetches something a client named by URL. Production uses
 * {@link #publicOnly()}; tests pass their own to reach a local server.
 */
@FunctionalInterface
public interface AddressPolicy {

    boolean allows(InetAddress address);

    /**
     * Public unicast addresses only: never loopback, private, link-local (cloud metadata at 169.254.169.254),
     * carrier-grade NAT, unique-local, multicast, unspecified, documentation, benchmarking or reserved ranges, nor
     * an IPv6 address that embeds one of those (IPv4-mapped or -compatible, NAT64, 6to4).
     */
    static AddressPolicy publicOnly() {
        return AddressPolicy::isPublic;
    }

    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return isPublicV4(v4.getAddress());
        }
        if (address instanceof Inet6Address v6) {
            return isPublicV6(v6.getAddress());
        }
        return false;
    }

    private static boolean isPublicV4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        return !(b0 == 0                                           // 0.0.0.0/8 "this network", any-local
                || b0 == 10                                        // 10/8 private
                || b0 == 100 && (b1 & 0xc0) == 64                  // 100.64/10 carrier-grade NAT
                || b0 == 127                                       // 127/8 loopback
                || b0 == 169 && b1 == 254                          // 169.254/16 link-local, cloud metadata
                || b0 == 172 && (b1 & 0xf0) == 16                  // 172.16/12 private
                || b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)    // 192.0.0/24 IETF, 192.0.2/24 TEST-NET-1
                || b0 == 192 && b1 == 88 && b2 == 99               // 192.88.99/24 6to4 relay anycast
                || b0 == 192 && b1 == 168                          // 192.168/16 private
                || b0 == 198 && (b1 & 0xfe) == 18                  // 198.18/15 benchmarking
                || b0 == 198 && b1 == 51 && b2 == 100              // 198.51.100/24 TEST-NET-2
                || b0 == 203 && b1 == 0 && b2 == 113               // 203.0.113/24 TEST-NET-3
                || b0 >= 224);                                     // 224/4 multicast, 240/4 reserved, broadcast
    }

    private static boolean isPublicV6(byte[] a) {
        if (allZero(a, 0, 10)) {
            // ::/128, ::1, ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): only a mapped public IPv4 passes
            return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff && isPublicV4(tail(a));
        }
        int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        int w1 = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            // 64:ff9b::/96 NAT64 carries an IPv4 address; 64:ff9b:1::/48 is for local use
            return allZero(a, 4, 12) && isPublicV4(tail(a));
        }
        if (w0 == 0x2002) {
            // 6to4: the IPv4 address is in bits 16..47
            return isPublicV4(new byte[] {a[2], a[3], a[4], a[5]});
        }
        if ((w0 & 0xe000) != 0x2000) {
            return false; // outside 2000::/3 global unicast: fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64...
        }
        return !(w0 == 0x2001 && w1 < 0x0200                        // 2001::/23 IETF assignments incl. Teredo
                || w0 == 0x2001 && w1 == 0x0db8                     // 2001:db8::/32 documentation
                || w0 == 0x3fff && (w1 & 0xf000) == 0);             // 3fff::/20 documentation
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tail(byte[] a) {
        return new byte[] {a[12], a[13], a[14], a[15]};
    }
}
