package com.monkeycoder.daemon.dialects;

/** Which error shape a route speaks: ours, or that of the API it imitates so its SDKs raise their usual errors. */
public enum ErrorStyle {
    NATIVE,
    OPENAI,
    ANTHROPIC
}
