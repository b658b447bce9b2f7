package com.monkeycoder.daemon.conversation;

/**
 * Who speaks a turn. Tool results travel as {@link Part.ToolResult} parts of a {@code USER} turn, as Anthropic
 * models them; a codec for a dialect with a {@code tool} role folds those messages into one user turn and back.
 * A {@code SYSTEM} turn may also stand in the middle of a conversation (Claude Code sends one there).
 */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT
}
