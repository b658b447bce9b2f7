package com.monkeycoder.daemon.conversation;

/** Whether and which tool the model must call; {@code name} only for {@link Mode#NAMED}. */
public record ToolChoice(Mode mode, String name) {

    public enum Mode { AUTO, REQUIRED, NONE, NAMED }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);

    public static ToolChoice named(String name) {
        return new ToolChoice(Mode.NAMED, name);
    }
}
