package com.monkeycoder.daemon.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a key may do (README, "The shared gateway" › Key scopes). A key carries a set of these; a route that needs
 * one answers 403 {@code FORBIDDEN} to a key without it.
 */
public enum KeyScope {
    /** The model routes: execute, chat completions, messages, responses, count_tokens. */
    CHAT,
    /** Creating and revoking keys. */
    KEYS,
    /** The account's spending: {@code /v1/billing/*}. */
    BILLING,
    /** Operator details (providers' base URLs and raw errors); granted only through {@code admin_emails}. */
    ADMIN;

    /** Every scope: the local daemon's one user, who is its operator. */
    public static final Set<KeyScope> ALL = Set.copyOf(EnumSet.allOf(KeyScope.class));
    /** What a register or login key gets (plus {@link #ADMIN} for an operator's admin email). */
    public static final Set<KeyScope> SESSION = Set.copyOf(EnumSet.of(CHAT, KEYS, BILLING));
    /** What a key made with {@code POST /v1/auth/keys} gets when the request names none. */
    public static final Set<KeyScope> DEFAULT_NEW_KEY = Set.of(CHAT);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<KeyScope> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The stored form: wire names, comma-separated, in declaration order. */
    public static String format(Set<KeyScope> scopes) {
        return scopes.stream().sorted().map(KeyScope::wireName).collect(Collectors.joining(","));
    }

    /** The stored form read back; names it does not know are ignored (a newer instance may have written them). */
    public static Set<KeyScope> parseAll(String stored) {
        EnumSet<KeyScope> out = EnumSet.noneOf(KeyScope.class);
        if (stored != null) {
            for (String part : stored.split(",")) {
                parse(part).ifPresent(out::add);
            }
        }
        return Set.copyOf(out);
    }

    /** Wire names in declaration order, for JSON. */
    public static java.util.List<String> names(Set<KeyScope> scopes) {
        return scopes.stream().sorted().map(KeyScope::wireName).toList();
    }
}
