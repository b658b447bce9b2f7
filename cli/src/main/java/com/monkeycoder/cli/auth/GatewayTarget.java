package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.PlainHttp;

/**
 * The shared gateway an account command talks to: {@code --base-url}, else {@code MONKEY_CODER_BASE_URL}. The local
 * daemon has no accounts, so {@code local} is refused with a word on what to do instead.
 */
public final class GatewayTarget {

    private GatewayTarget() {
    }

    /**
     * @param plainHttpAllowed whether plain http to another machine is allowed ({@code --insecure}); else such a URL
     *                         is refused here, before a password is asked for
     */
    public static String baseUrl(CliContext context, String flag, boolean plainHttpAllowed) {
        String url = flag != null ? flag : context.env("MONKEY_CODER_BASE_URL");
        if (url == null || url.equals(Connections.LOCAL)) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "accounts live on a shared gateway, and the base URL is"
                    + " 'local' (this machine's daemon, which has one user and needs no login): pass --base-url"
                    + " https://your-gateway or set MONKEY_CODER_BASE_URL");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "base URL '" + url + "' is neither 'local' nor an http(s) URL");
        }
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        PlainHttp.check(trimmed, plainHttpAllowed);
        return trimmed;
    }

    /** A connection with no key, for register and login. */
    public static Connection anonymous(String baseUrl, boolean plainHttpAllowed) {
        return new Connection(baseUrl, null, false, plainHttpAllowed);
    }
}
