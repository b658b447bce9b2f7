package com.monkeycoder.daemon.config;

/**
 * The first administrator a shared gateway makes at start while it has none: {@code MONKEY_CODER_ADMIN_EMAIL} and
 * {@code MONKEY_CODER_ADMIN_PASSWORD} (the password only needed when no account has that email yet). Environment
 * only, like {@code MONKEY_CODER_SECRET}: a password has no place in {@code config.json}.
 *
 * @param email    null when unset
 * @param password null when unset; never logged or shown
 */
public record AdminSettings(String email, String password) {

    public static final String EMAIL_ENV = "MONKEY_CODER_ADMIN_EMAIL";
    public static final String PASSWORD_ENV = "MONKEY_CODER_ADMIN_PASSWORD";

    public static AdminSettings resolve(GatewayConfig config) {
        String email = config.env().get(EMAIL_ENV);
        String password = config.env().get(PASSWORD_ENV);
        return new AdminSettings(email == null || email.isBlank() ? null : email.strip(),
                password == null || password.isEmpty() ? null : password);
    }

    @Override
    public String toString() {
        return "AdminSettings[email=" + email + ", password=" + (password == null ? "unset" : "(set)") + "]";
    }
}
