package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.shared.net.Cidr;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The address allowlist of a new key ({@code allowed_cidrs}): at most {@link #MAX_BLOCKS} blocks, and never wider
 * than the allowlist of the key creating it, so a key limited to an office cannot mint one usable anywhere.
 */
final class KeyAddresses {

    static final int MAX_BLOCKS = 32;

    private KeyAddresses() {
    }

    /**
     * @param creator the creating key's list (empty: any address)
     * @param asked   the list the request names, or null for none named (then the creator's)
     */
    static List<Cidr> narrowed(List<Cidr> creator, List<Cidr> asked) {
        if (asked == null) {
            return creator;
        }
        if (asked.size() > MAX_BLOCKS) {
            throw ApiError.validation("allowed_cidrs", "may hold at most " + MAX_BLOCKS + " address blocks");
        }
        List<Cidr> out = new ArrayList<>(new LinkedHashSet<>(asked));
        if (out.isEmpty()) {
            if (!creator.isEmpty()) {
                throw ApiError.validation("allowed_cidrs", "cannot be empty (any address) when the key creating it"
                        + " is limited to " + format(creator));
            }
            return List.of();
        }
        if (!creator.isEmpty()) {
            for (Cidr block : out) {
                if (creator.stream().noneMatch(c -> within(block, c))) {
                    throw ApiError.validation("allowed_cidrs", block + " is outside the addresses of the key creating"
                            + " it (" + format(creator) + ")");
                }
            }
        }
        return List.copyOf(out);
    }

    /** Whether every address of {@code inner} is in {@code outer}. */
    static boolean within(Cidr inner, Cidr outer) {
        return inner.network().length == outer.network().length && outer.prefix() <= inner.prefix()
                && java.util.Arrays.equals(Cidr.mask(inner.network(), outer.prefix()), outer.network());
    }

    static String format(List<Cidr> blocks) {
        return String.join(",", blocks.stream().map(Cidr::toString).toList());
    }
}
