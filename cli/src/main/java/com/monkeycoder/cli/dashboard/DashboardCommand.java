package com.monkeycoder.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.shared.PrivateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code monkey dashboard}: opens the web dashboard. For the local daemon it asks (with the local key) for a one-time
 * sign-in link that works once, for a minute, and opens it in the browser, or prints it where there is no display
 * or with {@code --print}. A shared gateway's dashboard signs in with email and password, so its address is enough.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Open the web dashboard (usage chart, conversations; keys and audit log on a shared gateway).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey dashboard", "  monkey dashboard --print"})
public final class DashboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--print", description = "Print the sign-in link instead of opening a browser (it works once, for 60 seconds).")
    boolean print;

    private final CliContext context;

    public DashboardCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Connection connection = Connections.resolve(context, gateway.baseUrl, gateway.insecure, err);
        GatewayClient client = new GatewayClient(connection);
        // Asked rather than guessed from the base URL: a local daemon may be named by its http://127.0.0.1 address.
        boolean local = connection.local() || "local".equals(client.get("/health").path("mode").asText());
        String url;
        if (local) {
            JsonNode link = client.post("/v1/dashboard/link", Map.of());
            url = stripSlash(connection.baseUrl()) + link.path("path").asText();
        } else {
            url = stripSlash(connection.baseUrl()) + "/dashboard/";
        }
        if (print || !Browsers.open(context, local ? launchPage(url) : url)) {
            if (!print && !gateway.quiet) {
                err.println(local
                        ? "Open this link in a browser on this machine (it works once, for 60 seconds):"
                        : "Open the dashboard and sign in with your email and password:");
                err.flush();
            }
            out.println(SafeText.of(url));
            out.flush();
            return ExitCodes.OK;
        }
        if (!gateway.quiet) {
            err.println("Opened the dashboard in your browser.");
            err.flush();
        }
        return ExitCodes.OK;
    }

    /**
     * The local sign-in link, handed to the browser through a page only this user can read: a link on the browser's
     * command line is readable by every user of the machine ({@code ps}), who could redeem it first. The page, in
     * the state folder (0700) with mode 0600, sends the browser on to the link; it holds a token that works once,
     * for a minute, and is overwritten by the next {@code monkey dashboard}. When the page cannot be written, the
     * link itself is opened, as before.
     */
    private String launchPage(String url) {
        try {
            Path dir = PrivateFiles.ownDirectory(context.paths().stateDir());
            Path page = dir.resolve("dashboard-open.html");
            Files.deleteIfExists(page);
            PrivateFiles.file(page);
            String escaped = url.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
            Files.writeString(page, "<!doctype html>\n<meta charset=\"utf-8\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
                    + "<meta http-equiv=\"refresh\" content=\"0;url=" + escaped + "\">\n"
                    + "<title>Monkey Coder</title>\n<p><a href=\"" + escaped + "\">Open the Monkey Coder dashboard</a></p>\n");
            return page.toUri().toString();
        } catch (IOException | RuntimeException e) {
            return url;
        }
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
