package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.providers.ProviderAdapter;

/** Where one request goes: the provider's adapter and the catalog entry (model id and prices). */
public record Route(ProviderAdapter adapter, ModelEntry model) {

    public String provider() {
        return model.provider();
    }
}
