package com.monkeycoder.cli;

import com.monkeycoder.cli.client.PlainHttp;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.Writer;

/** Options every command that talks to a gateway shares. */
public final class GatewayOptions {

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Gateway to use: 'local' (this machine's daemon, started when needed) or an https URL. "
                    + "Default: MONKEY_CODER_BASE_URL, else config base_url, else local.")
    public String baseUrl;

    @Option(names = "--insecure", description = "Allow a plain http:// base URL to another machine, which sends your key "
            + "(and password) where anyone on the network can read it. Default: MONKEY_CODER_INSECURE=1, else refused "
            + "(http to 127.0.0.1, localhost and [::1] is always allowed).")
    public boolean insecure;

    @Option(names = {"-v", "--verbose"}, description = "Say which provider and model answered, and show details of errors.")
    public boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress or notices on stderr; errors are still reported.")
    public boolean quiet;

    /** Whether plain http to another machine is allowed: {@code --insecure} or MONKEY_CODER_INSECURE=1. */
    public boolean insecure(CliContext context) {
        return PlainHttp.allowed(context, insecure);
    }

    /** Where notices go: {@code err}, or nowhere with {@code --quiet}. */
    public PrintWriter notices(PrintWriter err) {
        return quiet ? new PrintWriter(Writer.nullWriter()) : err;
    }
}
