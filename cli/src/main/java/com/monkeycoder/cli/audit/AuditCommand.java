package com.monkeycoder.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.auth.GatewayTarget;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.commands.JsonOutput;
import com.monkeycoder.cli.output.Table;
import com.monkeycoder.shared.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code monkey audit}: the audit log of a shared gateway, newest first: your own account's events, or with an
 * admin key every account's. It follows the gateway's {@code next} cursor until {@code --limit} events are shown.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Show the audit log, newest first: your account's events (logins, keys, credits, plan changes),"
                + " or every account's with an admin key."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey audit", "  monkey audit --action credits_added --since 2026-01-01T00:00:00Z",
                "  monkey audit --account usr_0123abcd --limit 200 --json   (admin)"})
public final class AuditCommand implements Callable<Integer> {

    /** The most the gateway gives in one page. */
    static final int PAGE = 500;

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, such as login, key_created, credits_added.")
    String action;

    @Option(names = "--since", paramLabel = "ISO", description = "Only events from this instant on, such as 2026-01-01T00:00:00Z.")
    String since;

    @Option(names = "--account", paramLabel = "ID", description = "Only this account's events (an admin key reads any account).")
    String account;

    @Option(names = "--limit", paramLabel = "N", description = "At most N events (default 50, up to 100000).")
    int limit = 50;

    @Option(names = "--json", description = "Print {\"events\": [...], \"next\": cursor} as the gateway gives them.")
    boolean json;

    private final CliContext context;

    public AuditCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > 100_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be from 1 to 100000");
        }
        if (since != null) {
            try {
                Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--since takes an ISO-8601 instant such as 2026-01-01T00:00:00Z, not '" + since + "'");
            }
        }
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        GatewayClient client = new GatewayClient(Connections.resolve(context, url, gateway.insecure,
                spec.commandLine().getErr()));
        ArrayNode events = Json.mapper().createArrayNode();
        String next = null;
        do {
            int want = Math.min(PAGE, limit - events.size());
            JsonNode page = client.get("/v1/audit?limit=" + want + query("action", action) + query("since", since)
                    + query("account", account) + query("before", next));
            page.path("events").forEach(events::add);
            next = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (next != null && events.size() < limit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.set("events", events);
            body.put("next", next);
            JsonOutput.print(out, body);
            return ExitCodes.OK;
        }
        if (events.isEmpty()) {
            out.println("No audit events" + (action != null || since != null || account != null ? " match." : "."));
            out.flush();
            return ExitCodes.OK;
        }
        Table table = new Table("TIME (UTC)", "ACTION", "ACCOUNT", "ACTOR", "TARGET", "FROM", "DETAILS");
        for (JsonNode e : events) {
            table.row(time(e.path("time").asText()), e.path("action").asText(), text(e.path("account_id")),
                    text(e.path("actor")), text(e.path("target")), text(e.path("client_address")),
                    details(e.path("details")));
        }
        table.print(out);
        if (next != null) {
            out.println("More events: --limit " + Math.min(100_000, limit * 2L) + " shows further back.");
            out.flush();
        }
        return ExitCodes.OK;
    }

    private static String query(String name, String value) {
        return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String time(String iso) {
        return iso.length() >= 19 ? iso.substring(0, 10) + " " + iso.substring(11, 19) : iso;
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "-" : v.asText();
    }

    /** {@code reason="support ticket" amount_usd=5.00}: each detail as name=value, quoted when it has spaces. */
    private static String details(JsonNode details) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> d : details.properties()) {
            String v = d.getValue().isValueNode() ? d.getValue().asText() : d.getValue().toString();
            parts.add(d.getKey() + "=" + (v.contains(" ") ? "\"" + v + "\"" : v));
        }
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }
}
