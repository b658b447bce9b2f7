package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.util.Map;

/** The 503 of a route that needs mail on a gateway without an SMTP server. */
final class MailUnavailable {

    private MailUnavailable() {
    }

    static ApiError error(String feature) {
        return new ApiError(ErrorCode.SERVICE_UNAVAILABLE, feature + " needs mail, and this gateway sends none:"
                + " its operator sets SMTP_URL (with MONKEY_CODER_MAIL_FROM and MONKEY_CODER_PUBLIC_URL) to turn it on",
                Map.of("reason", "mail_not_configured"), null);
    }
}
