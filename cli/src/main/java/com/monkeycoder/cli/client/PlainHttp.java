package com.monkeycoder.cli.client;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import okhttp3.HttpUrl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Keys and passwords never cross a network in the clear: an {@code http://} base URL is used only for this machine
 * (127.0.0.0/8, {@code localhost}, {@code [::1]}), unless the user says {@code --insecure} or
 * {@code MONKEY_CODER_INSECURE=1}. The host is judged as written, without asking DNS, exactly as OkHttp reads it.
 */
public final class PlainHttp {

    public static final String INSECURE_ENV = "MONKEY_CODER_INSECURE";

    private PlainHttp() {
    }

    /** Whether plain http to another machine is allowed: {@code --insecure}, or MONKEY_CODER_INSECURE=1. */
    public static boolean allowed(CliContext context, boolean insecureFlag) {
        if (insecureFlag) {
            return true;
        }
        String value = context.env(INSECURE_ENV);
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes"));
    }

    /**
     * Refuses (exit 3, before anything is sent) a base URL that would carry a key or password over plain http to
     * another machine, unless {@code allowed}.
     */
    public static void check(String baseUrl, boolean allowed) {
        HttpUrl url = HttpUrl.parse(baseUrl);
        if (url == null) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "base URL '" + baseUrl + "' is not a valid http(s) URL");
        }
        if (url.isHttps() || allowed || isLoopback(url.host())) {
            return;
        }
        throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "refusing to send a key or password over plain http to "
                + url.host() + ": use https://" + url.host() + (url.port() == 80 ? "" : ":" + url.port())
                + ", or pass --insecure (or set " + INSECURE_ENV + "=1) if anyone on that network may read them");
    }

    /** {@code localhost}, 127.0.0.0/8 or ::1, as OkHttp canonicalises a host; never a DNS lookup. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("localhost.")) {
            return true;
        }
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] octets = h.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (h.contains(":") && h.matches("[0-9a-f:.]+")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress(); // an IPv6 literal: parsed, not looked up
            } catch (UnknownHostException notALiteral) {
                return false;
            }
        }
        return false;
    }
}
