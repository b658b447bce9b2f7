package com.monkeycoder.cli;

import picocli.CommandLine.Option;

/** Options every command that talks to a gateway shares. */
public final class GatewayOptions {

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Gateway to use: 'local' (this machine's daemon, started when needed) or an https URL. "
                    + "Default: MONKEY_CODER_BASE_URL, else local.")
    public String baseUrl;

    @Option(names = {"-v", "--verbose"}, description = "Say which provider and model answered, and show details of errors.")
    public boolean verbose;
}
