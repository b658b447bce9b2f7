package com.monkeycoder.daemon.mfa;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recovery codes: ten per enrolment, each ten characters of a 32-letter alphabet without look-alikes (50 random
 * bits), shown as {@code abcde-fghjk}. Typed back, case, spaces and dashes do not matter, and o, i and l read as
 * 0, 1 and 1.
 */
public final class RecoveryCodes {

    public static final int COUNT = 10;
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    public static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder code = new StringBuilder(11);
            for (int j = 0; j < 10; j++) {
                if (j == 5) {
                    code.append('-');
                }
                code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /** The form that is hashed: lower case, no separators, look-alikes mapped; null when it cannot be a code. */
    public static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        String s = typed.strip().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "")
                .replace('o', '0').replace('i', '1').replace('l', '1');
        if (s.length() != 10 || !s.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return null;
        }
        return s;
    }
}
