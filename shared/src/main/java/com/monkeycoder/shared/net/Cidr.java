package com.monkeycoder.shared.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32} (a bare address is a block of one). Only
 * literal addresses are accepted: parsing never looks a name up.
 */
public record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** @throws IllegalArgumentException saying what is expected */
    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        InetAddress a = literal(address).orElseThrow(() -> new IllegalArgumentException(
                "'" + text + "' is not an address block such as 10.0.0.0/8 or 2001:db8::/32"));
        int bits = a.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0 to " + bits);
            }
        }
        return new Cidr(mask(a.getAddress(), prefix), prefix);
    }

    /** A comma-separated list of blocks; null or blank is none. */
    public static List<Cidr> parseList(String text) {
        List<Cidr> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return List.copyOf(out);
    }

    /** The address of a literal IPv4 or IPv6 text, never by a name lookup; IPv4-mapped IPv6 becomes IPv4. */
    public static java.util.Optional<InetAddress> literal(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (!IPV4.matcher(t).matches() && !IPV6.matcher(t).matches()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(t)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == network.length && java.util.Arrays.equals(mask(a, prefix), network);
    }

    /** The first {@code prefix} bits of {@code address}, the rest zero. */
    public static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
