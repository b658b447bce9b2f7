package com.monkeycoder.daemon.testing;

import com.monkeycoder.daemon.DaemonLauncher;

/**
 * {@code monkey daemon run} in a process of its own, for tests that kill it: runs the gateway in the mode given as
 * the first argument with the process's environment, exactly as the launcher does, and prints the line with
 * its port. A second argument is the port to listen on (any free one by default).
 */
public final class ChildGateway {

    private ChildGateway() {
    }

    public static void main(String[] args) {
        int code = new DaemonLauncher().runForeground(System.getenv(),
                args.length > 1 ? Integer.valueOf(args[1]) : 0, args[0], System.out, System.err);
        System.exit(code);
    }
}
