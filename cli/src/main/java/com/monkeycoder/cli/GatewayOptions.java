package com.monkeycoder.cli;

import com.monkeycoder.cli.client.PlainHttp;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

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

    /** What -v does for every command; implement and chat say more with {@link VerboseSaysWhoAnswered}. */
    @Option(names = {"-v", "--verbose"}, description = VERBOSE_ERRORS)
    public boolean verbose;

    static final String VERBOSE_ERRORS = "Show the details of an error (its cause's stack trace, for a bug report).";

    @Option(names = {"-q", "--quiet"}, description = "No progress or notices on stderr; errors are still reported.")
    public boolean quiet;

    /** Whether plain http to another machine is allowed: {@code --insecure} or MONKEY_CODER_INSECURE=1. */
    public boolean insecure(CliContext context) {
        return PlainHttp.allowed(context, insecure);
    }

    /**
     * For commands that answer with a model (implement, chat), where -v also says which provider and model
     * answered: their own description of -v, in place of the one every other command shares.
     */
    public static final class VerboseSaysWhoAnswered implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            OptionSpec verbose = spec.findOption("--verbose");
            // Options can only be added at the end: re-add those after -v too, so help and the man page keep the order.
            List<OptionSpec> options = List.copyOf(spec.options());
            List<OptionSpec> fromVerbose = options.subList(options.indexOf(verbose), options.size());
            fromVerbose.forEach(spec::remove);
            for (OptionSpec option : fromVerbose) {
                spec.addOption(option != verbose ? option : verbose.toBuilder().description("Say which provider and "
                        + "model answered, the tokens, cost and route, and show the details of an error.").build());
            }
            return spec;
        }
    }

    /** Where notices go: {@code err}, or nowhere with {@code --quiet}. */
    public PrintWriter notices(PrintWriter err) {
        return quiet ? new PrintWriter(Writer.nullWriter()) : err;
    }
}
