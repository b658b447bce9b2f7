package com.monkeycoder.cli.config;

import java.util.Iterator;

/** The setting keys, for help texts and shell completion. */
public final class SettingKeys implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Settings.ALL.stream().map(Setting::key).iterator();
    }
}
