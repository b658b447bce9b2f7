package com.monkeycoder.daemon.audit;

import java.util.Set;

/** The actions the audit log records, by the names {@code GET /v1/audit?action=} filters on. */
public final class AuditActions {

    public static final String REGISTER = "register";
    public static final String LOGIN = "login";
    public static final String LOGIN_FAILED = "login_failed";
    public static final String KEY_CREATED = "key_created";
    public static final String KEY_REVOKED = "key_revoked";
    public static final String CREDITS_ADDED = "credits_added";
    public static final String CREDITS_REMOVED = "credits_removed";
    public static final String PLAN_CHANGED = "plan_changed";
    public static final String TIER_CHANGED = "tier_changed";
    public static final String WEBHOOK_REJECTED = "webhook_rejected";
    public static final String CHECKOUT_CREATED = "checkout_created";
    /** A Stripe customer and subscription became known as an account's (a subscription's checkout completed). */
    public static final String STRIPE_CUSTOMER_LINKED = "stripe_customer_linked";
    /** A paid Stripe payment that added no credits (not in dollars): the operator refunds it or grants them. */
    public static final String PAYMENT_NOT_CREDITED = "payment_not_credited";
    public static final String SESSION_CREATED = "session_created";
    public static final String SESSION_FAILED = "session_failed";
    public static final String SESSION_REVOKED = "session_revoked";
    public static final String MFA_ENABLED = "mfa_enabled";
    public static final String MFA_DISABLED = "mfa_disabled";
    public static final String MFA_RECOVERY_USED = "mfa_recovery_used";
    public static final String EMAIL_VERIFIED = "email_verified";
    public static final String PASSWORD_RESET_REQUESTED = "password_reset_requested";
    public static final String PASSWORD_RESET = "password_reset";
    public static final String ACCOUNT_DISABLED = "account_disabled";
    public static final String ACCOUNT_ENABLED = "account_enabled";
    public static final String ADMIN_CREATED = "admin_created";

    /** Every name, for validating a filter. */
    public static final Set<String> ALL = Set.of(REGISTER, LOGIN, LOGIN_FAILED, KEY_CREATED, KEY_REVOKED,
            CREDITS_ADDED, CREDITS_REMOVED, PLAN_CHANGED, TIER_CHANGED, WEBHOOK_REJECTED, CHECKOUT_CREATED, STRIPE_CUSTOMER_LINKED,
            PAYMENT_NOT_CREDITED, SESSION_CREATED, SESSION_FAILED, SESSION_REVOKED, MFA_ENABLED, MFA_DISABLED, MFA_RECOVERY_USED,
            EMAIL_VERIFIED, PASSWORD_RESET_REQUESTED, PASSWORD_RESET, ACCOUNT_DISABLED, ACCOUNT_ENABLED, ADMIN_CREATED);

    private AuditActions() {
    }
}
