package com.monkeycoder.daemon.conversation;

/** The API shapes the gateway speaks on either side: ingress dialects and provider wire formats. */
public enum WireFamily {
    OPENAI_CHAT,
    OPENAI_RESPONSES,
    ANTHROPIC,
    GEMINI,
    NATIVE,
    DEMO
}
