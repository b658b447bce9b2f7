package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;

/**
 * The shared gateway an account command talks to: {@code --base-url}, else {@code MONKEY_CODER_BASE_URL}. The local
 * daemon has no accounts, so {@code local} is refused with a word on what to do instead.
 */
public final class GatewayTarget {

    private GatewayTarget() {
    }

    public static String baseUrl(CliContext context, String flag) {
        String url = flag != null ? flag : context.env("MONKEY_CODER_BASE_URL");
        if (url == null || url.equals(Connections.LOCAL)) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "accounts live on a shared gateway, and the base URL is"
                    + " 'local' (this machine's daemon, which has one user and needs no login): pass --base-url"
                    + " https://your-gateway or set MONKEY_CODER_BASE_URL");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "base URL '" + url + "' is neither 'local' nor an http(s) URL");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A connection with no key, for register and login. */
    public static Connection anonymous(String baseUrl) {
        return new Connection(baseUrl, null, false);
    }
}
