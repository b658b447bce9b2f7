package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.shared.wire.Attempt;

import java.util.List;

/**
 * What a route learns when an answer starts streaming, before anything is sent, so it can still set headers:
 * the model that answers, the attempts that failed first, whether the answer is replayed from the cache
 * ({@code cacheHit} true), was looked up and missed (false), or was not cacheable (null), and what of the request
 * the answering provider could not take ({@code dropped}, field names).
 */
public record StreamStart(ModelEntry model, List<Attempt> failedBefore, Boolean cacheHit, List<String> dropped) {

    public StreamStart {
        failedBefore = List.copyOf(failedBefore);
        dropped = List.copyOf(dropped);
    }
}
