package com.monkeycoder.cli;

import picocli.CommandLine.Option;

/** {@code --max-tokens}: the output cap of an answer, for the commands that ask for one. */
public final class MaxTokensOption {

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "The most tokens an answer may have (sent as max_tokens). A smaller cap also holds fewer "
                    + "credits while the answer is written. Default: the gateway's cap.")
    Integer maxTokens;

    /** The cap to send, or null for the gateway's.
     *
     * @throws ExitException (2) for a cap under 1
     */
    public Integer value() {
        if (maxTokens != null && maxTokens < 1) {
            throw new ExitException(ExitCodes.USAGE, "--max-tokens must be a whole number of at least 1, not " + maxTokens);
        }
        return maxTokens;
    }
}
