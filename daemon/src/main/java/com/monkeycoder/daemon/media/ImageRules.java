package com.monkeycoder.daemon.media;

import java.util.Set;

/** What an image may be, wherever it comes from (a client's body or a fetched URL): its type and its size. */
public final class ImageRules {

    /** The media types every vision provider takes. */
    public static final Set<String> MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    /** Anthropic's limit for one image; the others take at least as much. */
    public static final long MAX_BYTES = 5L * 1024 * 1024;

    private ImageRules() {
    }
}
