package com.monkeycoder.cli.keys;

import com.monkeycoder.cli.output.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code monkey keys create}: a new key (for CI, another machine) printed once on its own last line of stdout, so
 * {@code monkey keys create --name ci | tail -n 1} captures it. The CLI's own saved key is not changed.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a key; it is printed once, on the last line. The CLI keeps using its own key.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey keys create --name ci --expires-in-days 30", "  monkey keys create --name bot --requests-per-hour 50 | tail -n 1",
                "  monkey keys create --name ci --scope chat --allow-ip 203.0.113.0/24",
                "  monkey keys create --name smoke --test   (an mk-test- key: the demo provider only, free)"})
public final class KeysCreateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--name", description = "A name to recognise the key by, such as ci or laptop.")
    String name;

    @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "Make the key stop working after DAYS days.")
    Integer expiresInDays;

    @Option(names = "--requests-per-hour", paramLabel = "N", description = "A lower hourly limit for this key than your tier's.")
    Integer requestsPerHour;

    @Option(names = "--requests-per-month", paramLabel = "N", description = "A lower monthly quota for this key than your tier's.")
    Integer requestsPerMonth;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",",
            description = "What the key may do: chat, keys, billing or admin (repeat, or separate with commas);"
                    + " only scopes your own key has. Default: chat.")
    List<String> scopes;

    @Option(names = "--allow-ip", paramLabel = "CIDR", split = ",",
            description = "Let the key work only from these addresses, such as 203.0.113.0/24 or 2001:db8::/32"
                    + " (repeat, or separate with commas). Default: your key's own list, else any address.")
    List<String> allowedCidrs;

    @Option(names = "--test", description = "An mk-test- key: it reaches only the demo provider, costs nothing"
            + " (still counted against rate limits) and may only chat.")
    boolean test;

    @Option(names = "--json", description = "Print the gateway's answer as JSON, the key included.")
    boolean json;

    private final CliContext context;

    public KeysCreateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("expires_in_days", expiresInDays);
        body.put("requests_per_hour", requestsPerHour);
        body.put("requests_per_month", requestsPerMonth);
        body.put("scopes", scopes);
        body.put("allowed_cidrs", allowedCidrs);
        body.put("test", test ? Boolean.TRUE : null);
        body.values().removeIf(java.util.Objects::isNull);
        JsonNode created = KeysClient.of(context, gateway, spec.commandLine().getErr()).post("/v1/auth/keys", body);
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(created));
            out.flush();
            return ExitCodes.OK;
        }
        out.println(SafeText.of("Created key " + created.path("key_id").asText()
                + (created.hasNonNull("name") ? " (" + created.path("name").asText() + ")" : "")
                + (created.hasNonNull("expires_at") ? ", expires " + KeysClient.when(created.path("expires_at").asText()) : "")
                + (created.path("test").asBoolean() ? ", a test key (demo provider only, no cost)" : "")
                + (scopes != null ? ", scopes " + join(created.path("scopes")) : "")
                + (created.path("allowed_cidrs").size() > 0 ? ", only from " + join(created.path("allowed_cidrs")) : "")
                + ". It is shown this once; keep it somewhere safe:"));
        out.println(SafeText.of(created.path("api_key").asText()));
        out.flush();
        return ExitCodes.OK;
    }

    private static String join(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return String.join(",", out);
    }
}
