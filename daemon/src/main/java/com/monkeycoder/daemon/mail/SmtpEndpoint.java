package com.monkeycoder.daemon.mail;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where mail goes, from {@code SMTP_URL}: {@code smtp://user:pass@host:587} speaks plain SMTP upgraded with STARTTLS
 * (required: a server that does not offer it is refused rather than sent the password in clear);
 * {@code smtps://user:pass@host:465} speaks TLS from the first byte. {@code ?tls=none} on an {@code smtp://} URL
 * sends without TLS, for a relay on the same machine or a test server. User and password are URL-encoded in the
 * URL ({@code %40} for an {@code @}). {@link #toString()} never shows the password.
 */
public record SmtpEndpoint(String host, int port, boolean implicitTls, boolean startTls, String user, String password) {

    /** @throws IllegalArgumentException saying what is wrong, without quoting the password */
    public static SmtpEndpoint parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL such as smtp://user:pass@smtp.example.com:587 ("
                    + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
            throw new IllegalArgumentException("must start with smtp:// (STARTTLS, usually port 587) or smtps://"
                    + " (TLS, usually port 465)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("names no host: smtp://user:pass@smtp.example.com:587");
        }
        boolean implicit = scheme.equals("smtps");
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        boolean noTls = switch (query) {
            case "" -> false;
            case "tls=none" -> true;
            default -> throw new IllegalArgumentException("takes no parameter but ?tls=none (SMTP without TLS)");
        };
        if (noTls && implicit) {
            throw new IllegalArgumentException("smtps:// is TLS from the start: ?tls=none only goes with smtp://");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        int port = uri.getPort() > 0 ? uri.getPort() : implicit ? 465 : 587;
        return new SmtpEndpoint(uri.getHost(), port, implicit, !implicit && !noTls, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (implicitTls ? "smtps://" : "smtp://") + (user == null ? "" : "***@") + host + ":" + port
                + (implicitTls || startTls ? "" : "?tls=none");
    }
}
