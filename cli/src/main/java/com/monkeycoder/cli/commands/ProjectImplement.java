package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.agent.ProjectPrompt;
import com.monkeycoder.cli.agent.ProjectSessions;
import com.monkeycoder.cli.agent.ToolLoop;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.client.GatewayError;
import com.monkeycoder.cli.config.Settings;
import com.monkeycoder.cli.edit.Edit;
import com.monkeycoder.cli.edit.EditParser;
import com.monkeycoder.cli.edit.EditPlan;
import com.monkeycoder.cli.edit.EditRejected;
import com.monkeycoder.cli.edit.ProposeEditTool;
import com.monkeycoder.cli.git.GitWorkTree;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.project.ProjectRoot;
import com.monkeycoder.cli.project.ProjectTools;
import com.monkeycoder.cli.project.Tool;
import com.monkeycoder.cli.project.ToolBudget;
import com.monkeycoder.cli.project.Toolbox;
import com.monkeycoder.cli.terminal.Spinner;
import com.monkeycoder.cli.terminal.Style;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code monkey implement} inside a project: the model reads the project through read-only tools (or, without
 * tools, sees its file list), proposes search/replace edits and new files, and the result is shown as one plan with
 * a diff, asked about once, written all at once or not at all, and committed on request. The exchange belongs to a
 * conversation the gateway stores, which {@code -c} continues.
 */
final class ProjectImplement {

    /** What the user asked for, beyond the task. */
    record Options(Path dir, boolean explicit, boolean yes, boolean dryRun, boolean commit, boolean allowDirty,
                   boolean continueLast, String sessionId, boolean json, boolean verbose, boolean quiet) {

        /** Whether the user asked for edits, so an answer without any is a failure rather than an answer. */
        boolean editsExpected() {
            return yes || dryRun || commit;
        }
    }

    private final CliContext context;
    private final GatewayClient client;
    private final Options options;
    private final PrintWriter out;
    private final PrintWriter err;

    ProjectImplement(CliContext context, GatewayClient client, Options options, PrintWriter out, PrintWriter err) {
        this.context = context;
        this.client = client;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Checks what can be checked before a request costs anything: the folder, git, the conversation to continue. */
    static ProjectRoot open(Path dir) {
        try {
            return ProjectRoot.of(dir);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, "cannot use " + dir + " as the project folder: " + e.getMessage());
        }
    }

    int run(ProjectRoot root, ObjectNode request, String prompt) {
        Optional<GitWorkTree> git = GitWorkTree.find(root.path());
        if (options.commit() && git.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "--commit needs a git work tree, and " + root.path() + " is not in one");
        }
        ProjectSessions sessions = new ProjectSessions(context.paths().stateDir());
        String sessionId = sessionId(root, sessions);
        request.put("session_id", sessionId);
        Consumer<String> verbose = ToolLoop.printer(err, options.verbose());
        verbose.accept("project " + root.path() + " · conversation " + sessionId);

        ProposeEditTool proposals = new ProposeEditTool(root);
        ToolBudget budget = budget(new Settings(context));
        List<Tool> tools = new ArrayList<>(new ProjectTools(root, budget).tools());
        tools.add(proposals);
        Toolbox toolbox = new Toolbox(tools, budget);

        ToolLoop.Outcome outcome;
        boolean spin = context.errInteractive() && !options.quiet() && !options.json();
        try (Spinner spinner = Spinner.start(err, "working on " + root.path().getFileName(), spin, context.env())) {
            outcome = withTools(request, prompt, toolbox, verbose).orElseGet(() -> {
                verbose.accept("the model has no tools: sending the file list and asking for fenced edits");
                return withoutTools(request, prompt, root, budget);
            });
        }
        sessions.remember(root.path(), sessionId);
        String model = outcome.response().path("provider_used").asText("") + "/"
                + outcome.response().path("model_used").asText("");
        List<Edit> edits = new ArrayList<>(proposals.edits());
        EditParser.Parsed fenced = EditParser.parse(outcome.text());
        if (edits.isEmpty()) {
            edits.addAll(fenced.edits());
        }
        String summary = summary(outcome.text());
        if (!options.json() && !summary.isBlank()) {
            out.println(SafeText.of(summary));
            out.flush();
        }
        if (edits.isEmpty()) {
            if (options.json()) {
                JsonOutput.print(out, document(outcome.response(), null, false, null));
            }
            if (options.editsExpected()) {
                String why = fenced.problems().isEmpty() ? "" : " (" + String.join("; ", fenced.problems()) + ")";
                throw new ExitException(ExitCodes.UNEXPECTED, "the answer proposes no edits" + why + "; nothing was written");
            }
            return ExitCodes.OK;
        }
        EditPlan plan;
        try {
            plan = EditPlan.build(root, edits);
        } catch (EditRejected rejected) {
            throw new ExitException(ExitCodes.UNEXPECTED, "refusing the edits: " + SafeText.of(String.join("; ",
                    rejected.problems())) + "; nothing was written");
        }
        if (git.isPresent() && !options.allowDirty()) {
            refuseDirty(git.get(), plan);
        }
        if (options.commit()) {
            List<String> hooks = hookFiles(plan);
            if (!hooks.isEmpty()) {
                throw new ExitException(ExitCodes.USAGE, "refusing --commit: the edits change " + SafeText.of(
                        String.join(", ", hooks)) + ", which git hooks run on commit, so committing would run what the"
                        + " model wrote; run without --commit, review the change, and commit it yourself. Nothing was"
                        + " written");
            }
        }
        if (!options.json()) {
            printPlan(out, root, plan, context.outStyle());
        }
        PrintWriter notices = options.quiet() ? new PrintWriter(java.io.Writer.nullWriter()) : err;
        boolean write = !options.dryRun() && !plan.changes().isEmpty() && (options.yes() || confirm(plan));
        String commit = null;
        if (write) {
            try {
                plan.apply();
            } catch (IOException e) {
                throw new ExitException(ExitCodes.UNEXPECTED, "cannot write the edits into " + root.path() + ": "
                        + e.getMessage() + "; no file was changed", e);
            }
            notices.println("Changed " + ImplementCommand.files(plan.changes().size()) + " in " + root.path() + ".");
            if (options.commit()) {
                commit = commit(git.get(), plan, summary, model, notices);
            }
        } else if (options.dryRun()) {
            notices.println("Dry run: nothing was written.");
        } else if (plan.changes().isEmpty()) {
            notices.println("Nothing to change: every file is already as the edits have it.");
        } else {
            notices.println("Nothing was written.");
        }
        notices.flush();
        if (options.json()) {
            JsonOutput.print(out, document(outcome.response(), plan, write, commit));
        }
        return ExitCodes.OK;
    }

    /** The tool budget: {@code tool_max_calls} and {@code tool_max_read_kb} (config or environment), else 40 and 1 MiB. */
    static ToolBudget budget(Settings settings) {
        return new ToolBudget(number(settings, Settings.TOOL_MAX_CALLS, ToolBudget.DEFAULT_MAX_CALLS),
                1024L * number(settings, Settings.TOOL_MAX_READ_KB, (int) (ToolBudget.DEFAULT_MAX_BYTES_READ / 1024)),
                ToolBudget.DEFAULT_MAX_RESULT_BYTES);
    }

    private static int number(Settings settings, com.monkeycoder.cli.config.Setting setting, int fallback) {
        Settings.Resolved r = settings.resolve(setting);
        if (r.value() == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(r.value().strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new ExitException(ExitCodes.USAGE, setting.key() + " '" + r.value() + "' from " + r.origin()
                + " must be a whole number above 0");
    }

    /** The session to use: --session, the project's last with -c, else a new one. */
    private String sessionId(ProjectRoot root, ProjectSessions sessions) {
        if (options.sessionId() != null) {
            return options.sessionId();
        }
        if (options.continueLast()) {
            return sessions.last(root.path()).orElseThrow(() -> new ExitException(ExitCodes.USAGE,
                    "no earlier conversation in " + root.path() + " to continue: run without -c (monkey logs lists "
                            + "conversations; --session ID picks one)"));
        }
        return ProjectSessions.newId();
    }

    /** The tool loop; empty when no model that may serve the request has tools (the gateway's 422 says so). */
    private Optional<ToolLoop.Outcome> withTools(ObjectNode request, String prompt, Toolbox toolbox,
                                                 Consumer<String> verbose) {
        ArrayNode messages = Json.mapper().createArrayNode();
        messages.addObject().put("role", "system").put("content", ProjectPrompt.withTools());
        messages.addObject().put("role", "user").put("content", prompt);
        try {
            return Optional.of(new ToolLoop(client, toolbox, toolbox.budget().maxCalls(), verbose).run(request, messages));
        } catch (GatewayError e) {
            if (e.status() == 422 && e.gatewayDetails().has("needs")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** One request without tools: the file list in the instructions, edits in the fenced format. */
    private ToolLoop.Outcome withoutTools(ObjectNode request, String prompt, ProjectRoot root, ToolBudget budget) {
        String list = new ProjectTools(root, budget).listFiles(null, null).text();
        ObjectNode body = request.deepCopy();
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", ProjectPrompt.withoutTools(list));
        messages.addObject().put("role", "user").put("content", prompt);
        body.put("stream", false);
        JsonNode response = client.post("/v1/execute", body);
        return new ToolLoop.Outcome(response.path("content").asText(""), response, 1);
    }

    /** Uncommitted work is the user's: an edit on top of it could not be told apart, nor undone by `monkey undo`. */
    private void refuseDirty(GitWorkTree git, EditPlan plan) {
        Set<Path> dirty;
        try {
            dirty = git.dirtyPaths();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "cannot ask git which files have changes: " + e.getMessage(), e);
        }
        List<String> touched = plan.changes().stream().filter(f -> dirty.contains(f.target()))
                .map(EditPlan.FileChange::path).toList();
        if (!touched.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "refusing to edit " + SafeText.of(String.join(", ", touched))
                    + ": uncommitted changes (commit or stash them, or add --allow-dirty); nothing was written");
        }
    }

    private boolean confirm(EditPlan plan) {
        if (!context.tty().available()) {
            throw new ExitException(ExitCodes.USAGE, "the edits need a confirmation and there is no terminal to ask on: "
                    + "add --yes to apply them without asking, or --dry-run to only see them");
        }
        return context.tty().confirm("Apply " + ImplementCommand.files(plan.changes().size()) + "? [y/N] ");
    }

    private String commit(GitWorkTree git, EditPlan plan, String summary, String model, PrintWriter notices) {
        List<Path> changed = plan.changes().stream().map(EditPlan.FileChange::target).toList();
        try {
            String id = git.commit(changed, summary, model);
            notices.println("Committed " + id.substring(0, Math.min(12, id.length())) + ": "
                    + SafeText.of(com.monkeycoder.cli.git.CommitMessage.of(summary, model).subject())
                    + " (monkey undo takes it back)");
            return id;
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "the edits were written but git could not commit them: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The files of the plan that a commit's hooks would run: husky's and other hook folders, the pre-commit and
     * lefthook configurations, and a package.json that configures hooks (husky, lint-staged, simple-git-hooks).
     */
    static List<String> hookFiles(EditPlan plan) {
        List<String> hooks = new ArrayList<>();
        for (EditPlan.FileChange f : plan.changes()) {
            String path = f.path().replace('\\', '/');
            String name = path.substring(path.lastIndexOf('/') + 1);
            boolean hookFolder = path.startsWith(".husky/") || path.startsWith(".githooks/") || path.contains("/.husky/");
            boolean hookConfig = name.equals(".pre-commit-config.yaml") || name.matches("\\.?lefthook(-local)?\\.ya?ml")
                    || name.equals(".huskyrc") || name.startsWith(".lintstagedrc") || name.startsWith("lint-staged.config");
            boolean hookPackage = name.equals("package.json") && (mentionsHooks(f.oldContent()) || mentionsHooks(f.newContent()));
            if (hookFolder || hookConfig || hookPackage) {
                hooks.add(f.path());
            }
        }
        return hooks;
    }

    private static boolean mentionsHooks(String json) {
        return json != null && (json.contains("husky") || json.contains("lint-staged") || json.contains("simple-git-hooks")
                || json.contains("pre-commit"));
    }

    /** The answer's words without its fenced blocks (and the path lines that name them): what the user reads, and the commit message. */
    static String summary(String answer) {
        List<String> kept = new ArrayList<>();
        boolean inFence = false;
        for (String line : answer.lines().toList()) {
            if (line.stripLeading().startsWith("```")) {
                if (!inFence && !kept.isEmpty() && namesAPath(kept.getLast())) {
                    kept.removeLast(); // the line before a fence that names its file belongs to the edit
                }
                inFence = !inFence;
                continue;
            }
            if (!inFence) {
                kept.add(line);
            }
        }
        return String.join("\n", kept).strip();
    }

    /** A line that is only a path, perhaps decorated: {@code src/app.py}, {@code ### src/app.py}, {@code `app.py`:}. */
    private static boolean namesAPath(String line) {
        String bare = line.strip().replaceAll("^[#*`> ]+|[*`:]+$", "");
        return !bare.isEmpty() && !bare.contains(" ") && (bare.contains("/") || bare.contains("."));
    }

    static void printPlan(PrintWriter out, ProjectRoot root, EditPlan plan, Style style) {
        out.println(style.bold("Plan for " + root.path() + " (" + ImplementCommand.files(plan.files().size()) + "):"));
        int width = plan.files().stream().mapToInt(f -> f.path().length()).max().orElse(0);
        for (EditPlan.FileChange f : plan.files()) {
            String label = String.format("%-9s", f.action().label());
            String colored = switch (f.action()) {
                case CREATE -> style.green(label);
                case EDIT -> style.yellow(label);
                case UNCHANGED -> style.dim(label);
            };
            String counts = f.action() == EditPlan.Action.UNCHANGED ? ""
                    : "  +" + f.stats().added() + " -" + f.stats().removed();
            out.println(("  " + colored + "  " + String.format("%-" + width + "s", SafeText.of(f.path())) + counts)
                    .stripTrailing());
        }
        for (EditPlan.FileChange f : plan.changes()) {
            ImplementCommand.printDiff(out, f.diff(), style);
        }
        out.flush();
    }

    private static JsonNode document(JsonNode response, EditPlan plan, boolean written, String commit) {
        ObjectNode doc = response.deepCopy();
        ObjectNode edits = doc.putObject("edits");
        edits.put("written", written);
        if (commit != null) {
            edits.put("commit", commit);
        }
        ArrayNode list = edits.putArray("files");
        if (plan != null) {
            for (EditPlan.FileChange f : plan.files()) {
                ImplementCommand.addFile(list, f.path(), f.action().label(), f.stats(), f.diff());
            }
        }
        return doc;
    }

}
