package com.monkeycoder.daemon.dialects;

import java.io.IOException;

/** Where a stream encoder writes Server-Sent Events; an {@link IOException} means the client is gone. */
public interface SseSink {

    /** One event: {@code event: name} (left out when name is null) and its JSON {@code data}. */
    void event(String name, Object data) throws IOException;

    /** One event whose data is written as it is ({@code [DONE]}). */
    void raw(String data) throws IOException;
}
