package com.monkeycoder.daemon.routing;

import java.util.List;

/**
 * Who keeps the provider keys, and so what a client told of a refused one should do: on the local daemon they are
 * the user's own, from the environment the daemon started with, and the user fixes them; on a shared gateway they
 * are the operator's, which its users can neither see nor change.
 */
public enum ProviderKeys {
    USERS_OWN, OPERATORS;

    /** The message of a request that failed because {@code provider} refused its key with HTTP {@code status}. */
    public String refused(String provider, List<String> keyEnv, Integer status) {
        String http = status == null ? "" : " (HTTP " + status + ")";
        if (this == OPERATORS) {
            return provider + " refused the gateway's API key" + http + ": the gateway's operator must check it";
        }
        String where = keyEnv.isEmpty() ? "its API key" : "the API key in " + String.join(" or ", keyEnv);
        String variable = keyEnv.isEmpty() ? "the key" : keyEnv.getFirst();
        return provider + " refused " + where + http + ": check " + variable + ", then restart the daemon with it "
                + "(monkey daemon start --restart)";
    }
}
