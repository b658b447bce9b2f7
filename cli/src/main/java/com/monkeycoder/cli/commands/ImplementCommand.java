package com.monkeycoder.cli.commands;

import com.monkeycoder.shared.text.Money;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.MaxTokensOption;
import com.monkeycoder.cli.client.Answers;
import com.monkeycoder.cli.client.Cancellation;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.config.ModelChoice;
import com.monkeycoder.cli.config.Settings;
import com.monkeycoder.cli.output.LinePrinter;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.terminal.PipedText;
import com.monkeycoder.cli.terminal.Spinner;
import com.monkeycoder.cli.terminal.Style;
import com.monkeycoder.cli.write.CodeBlock;
import com.monkeycoder.cli.write.CodeBlocks;
import com.monkeycoder.cli.write.WritePlan;
import com.monkeycoder.shared.wire.Attempt;
import com.monkeycoder.shared.wire.ExecuteRequest;
import com.monkeycoder.shared.wire.ModelConfig;
import com.monkeycoder.shared.wire.ExecuteResponse;
import com.monkeycoder.cli.completion.Candidates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code monkey implement "<task>"}: sends a coding task, with files and piped text as context, and streams the
 * answer; or prints only its code blocks, or writes the files it names into a folder after showing the diff.
 */
@Command(name = "implement", mixinStandardHelpOptions = true,
        modelTransformer = GatewayOptions.VerboseSaysWhoAnswered.class,
        description = {"Send a coding task to the gateway and stream the answer.",
                "Without TASK, the text piped into stdin is the task; with it, piped text and files given with -f are "
                        + "sent along as context. With --write, the files the "
                        + "answer names in its code blocks (```java src/Main.java) are shown as a diff against the "
                        + "folder and written once you confirm."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  monkey implement --provider demo \"create a REST API\"",
                "  monkey implement --model openai/gpt-4.1-mini --persona backend \"add pagination to GET /users\"",
                "  git diff | monkey implement --task code_review \"review this change\"",
                "  echo \"write hello world in Go\" | monkey implement",
                "  monkey implement -f src/Parser.java --task testing \"write tests for this\"",
                "  monkey implement --write ./hello \"a Go hello-world web server with a Makefile\"",
                "  monkey implement -o . --yes -f app.py \"add type hints\"      (scripts: no question asked)",
                "  monkey implement --extract \"a bash script that backs up ~/notes\" > backup.sh",
                "  monkey implement --json \"write a Makefile\" | jq -r .content"
        })
public final class ImplementCommand implements Callable<Integer> {

    static final String DEFAULT_TASK_TYPE = "code_generation";

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(arity = "0..*", paramLabel = "TASK",
            description = "What to build, in words. Without it, the text piped into stdin is the task.")
    List<String> task = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "PATH",
            description = "Attach this file as context (repeatable). Text piped into stdin is attached too.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--no-stdin", description = "Do not read stdin, even when it is a pipe (for a script whose "
            + "stdin never closes).")
    boolean noStdin;

    @Option(names = "--task", paramLabel = "TYPE", completionCandidates = Candidates.TaskTypes.class,
            description = "What kind of task: code_generation (default), code_review, testing, documentation, "
                    + "refactoring, question (see: monkey personas).")
    String taskType;

    @Option(names = "--persona", paramLabel = "PERSONA", completionCandidates = Candidates.Personas.class,
            description = "Who answers: developer (default), backend, frontend, devops, tester, reviewer, docs. "
                    + "Default: MONKEY_CODER_PERSONA, else config default_persona.")
    String persona;

    @Option(names = "--provider", paramLabel = "PROVIDER", completionCandidates = Candidates.Providers.class,
            description = "Use this provider (openai, groq, ..., demo for the "
            + "offline demo). Default: MONKEY_CODER_PROVIDER, else config default_provider, else the gateway's choice.")
    String provider;

    @Option(names = "--model", paramLabel = "MODEL", completionCandidates = Candidates.Models.class,
            description = "Use this model: provider/model or a model name (see: "
            + "monkey models). Default: MONKEY_CODER_MODEL, else config default_model.")
    String model;

    @Option(names = "--temperature", paramLabel = "T",
            description = "Sampling temperature, 0 to 2. 0 asks for the most deterministic answer, which the gateway caches.")
    Double temperature;

    @Mixin
    MaxTokensOption maxTokens;

    @Option(names = "--cache", negatable = true,
            description = "Ask the gateway to answer from its cache and store this answer (--no-cache: neither). "
                    + "Default: the gateway caches only deterministic requests (temperature 0).")
    Boolean useCache;

    @Option(names = "--no-stream", description = "Wait for the whole answer instead of streaming it.")
    boolean noStream;

    @Option(names = "--json", description = "Print the gateway's whole response as JSON (implies --no-stream); with "
            + "--write it includes the plan.")
    boolean json;

    @Option(names = "--extract", description = "Print only the contents of the answer's code blocks, e.g. to redirect into a file.")
    boolean extract;

    @Option(names = {"-o", "--write"}, paramLabel = "DIR",
            description = "Write the files the answer names into DIR, after showing the plan and diff and asking.")
    Path writeDir;

    @Option(names = {"-y", "--yes"}, description = "With --write: write without asking (for scripts).")
    boolean yes;

    @Option(names = "--dry-run", description = "With --write: show the plan and diff, write nothing.")
    boolean dryRun;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Work on the project in DIR: the model reads it through read-only tools and proposes edits, "
                    + "shown as a diff and applied once you confirm. Default: the current folder when it is the top of "
                    + "a git work tree.")
    Path projectDir;

    @Option(names = "--no-project", description = "Only answer, even at the top of a git work tree: no tools, no edits.")
    boolean noProject;

    @Option(names = "--commit", description = "In a project in git: commit exactly the applied files, with the "
            + "answer's first line as the message and a trailer naming the model (monkey undo takes it back).")
    boolean commit;

    @Option(names = "--allow-dirty", description = "In a project in git: edit files that have uncommitted changes.")
    boolean allowDirty;

    @Option(names = {"-c", "--continue"}, description = "Continue this project's last conversation: the gateway "
            + "sends its earlier turns along (as many as the model's context window holds).")
    boolean continueLast;

    @Option(names = "--session", paramLabel = "ID", description = "Continue the conversation ID (monkey logs lists them).")
    String sessionId;

    private final CliContext context;

    public ImplementCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        checkFlags();
        String words = String.join(" ", task).strip();
        if (!task.isEmpty() && words.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "the task is empty: say what to build, e.g. monkey implement \"create a REST API\"");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path projectFolder = project();
        if (projectFolder != null && commit && !yes && !dryRun && !context.tty().available()) {
            // Edits to commit, and no one to confirm them: refuse before the answer is paid for.
            throw new ExitException(ExitCodes.USAGE, "the edits need a confirmation and there is no terminal to ask on: "
                    + "add --yes to apply them without asking, or --dry-run to only see them");
        }
        com.monkeycoder.cli.project.ProjectRoot root = projectFolder == null ? null : ProjectImplement.open(projectFolder);
        if (writeDir != null && !yes && !dryRun && !context.tty().available()) {
            // Refuse before asking the gateway: an answer nobody can confirm would be paid for and thrown away.
            throw new ExitException(ExitCodes.USAGE, "--write needs a confirmation and there is no terminal to ask on: "
                    + "add --yes to write without asking, or --dry-run to only see the plan");
        }
        Optional<String> piped = noStdin ? Optional.empty()
                : PipedText.read(context.stdin(), context.errInteractive() && !gateway.quiet ? err : null);
        if (task.isEmpty()) {
            // As with llm: `echo "write hello world" | monkey implement` asks what was piped in.
            // A usage error like any missing parameter, with the hint to --help.
            words = piped.map(String::strip).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "Missing TASK: say what to build (monkey implement \"create a REST API\"), or pipe it into stdin"));
            piped = Optional.empty();
        }
        String prompt = TaskPrompt.compose(words, attachments(piped));

        Connection connection = Connections.resolve(context, gateway.baseUrl, gateway.insecure, gateway.notices(err));
        GatewayClient client = new GatewayClient(connection);
        ModelChoice choice = ModelChoice.of(new Settings(context), provider, model, persona);
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new ExitException(ExitCodes.USAGE, "--temperature must be between 0 and 2");
        }
        ExecuteRequest request = new ExecuteRequest(taskType == null ? DEFAULT_TASK_TYPE : taskType, prompt,
                choice.persona(), choice.providers(), choice.qualifiedModel(), !noStream && !json, useCache,
                temperature == null && maxTokens.value() == null ? null
                        : new ModelConfig(temperature, maxTokens.value(), null), null);
        if (root != null) {
            com.fasterxml.jackson.databind.node.ObjectNode body = com.monkeycoder.shared.Json.mapper().valueToTree(request);
            body.remove(List.of("prompt", "stream", "messages"));
            body.properties().removeIf(field -> field.getValue().isNull());
            ProjectImplement.Options options = new ProjectImplement.Options(root.path(), projectDir != null, yes, dryRun,
                    commit, allowDirty, continueLast, sessionId, json, gateway.verbose, gateway.quiet);
            try {
                return new ProjectImplement(context, client, options, out, err).run(root, body, prompt);
            } catch (ExitException refused) {
                throw choice.explain(refused); // a bad default names the file or variable it came from
            }
        }
        boolean showAnswer = !json && !extract && !(writeDir != null && gateway.quiet);
        Answers.Answer answer;
        try {
            answer = ask(client, request, showAnswer, out, err);
        } catch (ExitException refused) {
            throw choice.explain(refused); // a bad default names the file or variable it came from
        }
        explain(err, answer.response());

        if (extract) {
            return printCodeBlocks(out, answer.content());
        }
        if (writeDir != null) {
            return write(out, err, answer);
        }
        if (json) {
            JsonOutput.print(out, answer.json());
        }
        return ExitCodes.OK;
    }

    /**
     * The project folder this run works on, or null for an answer only: {@code --dir}, else the current folder when
     * a project flag names it or it is the top of a git work tree (it holds {@code .git}).
     */
    private Path project() {
        boolean projectFlags = commit || allowDirty || continueLast || sessionId != null;
        if (noProject) {
            if (projectDir != null || projectFlags) {
                throw new ExitException(ExitCodes.USAGE, "--no-project does not combine with "
                        + (projectDir != null ? "--dir" : "--commit, --allow-dirty, -c or --session"));
            }
            return null;
        }
        if (writeDir != null || extract) {
            if (projectDir != null || projectFlags) {
                throw new ExitException(ExitCodes.USAGE, (writeDir != null ? "--write DIR writes whole files into a folder"
                        : "--extract prints code blocks") + "; --dir, --commit, --allow-dirty, -c and --session work on "
                        + "a project: choose one");
            }
            return null;
        }
        if (projectDir != null) {
            return projectDir;
        }
        Path cwd = Path.of("").toAbsolutePath();
        return projectFlags || java.nio.file.Files.exists(cwd.resolve(".git")) ? cwd : null;
    }

    private void checkFlags() {
        maxTokens.value(); // a bad cap is refused before stdin is read or a daemon started
        if (sessionId != null && !sessionId.matches("ses_[A-Za-z0-9_-]{8,64}")) {
            throw new ExitException(ExitCodes.USAGE, "--session takes a conversation id like ses_ab12cd34 (monkey logs lists them)");
        }
        if (sessionId != null && continueLast) {
            throw new ExitException(ExitCodes.USAGE, "-c continues this project's last conversation and --session names one: choose one");
        }
        if ((yes || dryRun) && writeDir == null && project() == null) {
            throw new ExitException(ExitCodes.USAGE, (yes ? "--yes" : "--dry-run")
                    + " only applies with --write DIR or in a project (--dir DIR)");
        }
        if (yes && dryRun) {
            throw new ExitException(ExitCodes.USAGE, "--yes and --dry-run contradict each other: choose one");
        }
        if (extract && (json || writeDir != null)) {
            throw new ExitException(ExitCodes.USAGE, "--extract prints code blocks to stdout; it does not combine with "
                    + (json ? "--json" : "--write"));
        }
    }

    private List<TaskPrompt.Attachment> attachments(Optional<String> piped) {
        List<TaskPrompt.Attachment> attached = new ArrayList<>();
        Path cwd = Path.of("").toAbsolutePath();
        for (Path file : files) {
            // A file inside the working folder is named relative to it, as the answer should name it back for
            // --write (and the prompt does not carry the user's home folder to a provider).
            Path absolute = file.toAbsolutePath().normalize();
            attached.add(TaskPrompt.file(file, absolute.startsWith(cwd) && !absolute.equals(cwd)
                    ? cwd.relativize(absolute).toString() : file.toString()));
        }
        piped.ifPresent(text -> attached.add(TaskPrompt.stdin(text)));
        return attached;
    }

    /** Sends the request; a spinner runs on a terminal's stderr until the first words of the answer are shown. */
    private Answers.Answer ask(GatewayClient client, ExecuteRequest request, boolean showAnswer, PrintWriter out,
                               PrintWriter err) {
        boolean spin = context.errInteractive() && !gateway.quiet;
        try (Spinner spinner = Spinner.start(err, "waiting for the answer", spin, context.env())) {
            if (!request.streaming()) {
                Answers.Answer answer = Answers.whole(client, request);
                spinner.stop();
                if (showAnswer) {
                    String shown = SafeText.of(answer.content());
                    out.print(shown);
                    if (!shown.endsWith("\n")) {
                        out.println();
                    }
                    out.flush();
                }
                return answer;
            }
            LinePrinter printer = new LinePrinter(out);
            try {
                return Answers.stream(client, request, text -> {
                    if (showAnswer) {
                        spinner.stop();
                        printer.print(text);
                    }
                }, new Cancellation());
            } finally {
                spinner.stop();
                printer.endLine(); // what arrived stays, on its own line before an error or what follows
            }
        }
    }

    private int printCodeBlocks(PrintWriter out, String content) {
        List<CodeBlock> blocks = CodeBlocks.parse(content);
        if (blocks.isEmpty()) {
            throw new ExitException(ExitCodes.UNEXPECTED, "the answer has no code blocks to extract; run without --extract to see it");
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (i > 0) {
                out.println();
            }
            out.print(SafeText.of(blocks.get(i).content()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int write(PrintWriter out, PrintWriter err, Answers.Answer answer) {
        WritePlan plan;
        try {
            plan = WritePlan.of(writeDir, CodeBlocks.parse(answer.content()));
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "cannot plan the writes into " + writeDir + ": " + e.getMessage(), e);
        }
        if (!plan.refusals().isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "refusing to write: " + String.join(", ",
                    plan.refusals().stream().map(WritePlan.Refusal::toString).toList()) + "; nothing was written to " + writeDir);
        }
        if (plan.files().isEmpty()) {
            throw new ExitException(ExitCodes.UNEXPECTED, "the answer names no files to write: its code blocks need a path "
                    + "after the language, like ```java src/Main.java");
        }
        if (json) {
            boolean written = !dryRun && !plan.changes().isEmpty() && (yes || confirm(plan));
            if (written) {
                apply(plan);
            }
            JsonOutput.print(out, withPlan(answer.json(), plan, written));
            return ExitCodes.OK;
        }
        printPlan(out, plan, context.outStyle());
        PrintWriter notices = gateway.notices(err);
        if (dryRun) {
            notices.println("Dry run: nothing was written.");
            notices.flush();
            return ExitCodes.OK;
        }
        if (plan.changes().isEmpty()) {
            notices.println("Nothing to write: every file is already as the answer has it.");
            notices.flush();
            return ExitCodes.OK;
        }
        if (!yes && !confirm(plan)) {
            notices.println("Nothing was written.");
            notices.flush();
            return ExitCodes.OK;
        }
        apply(plan);
        notices.println("Wrote " + files(plan.changes().size()) + " into " + writeDir + ".");
        notices.flush();
        return ExitCodes.OK;
    }

    private boolean confirm(WritePlan plan) {
        if (!context.tty().available()) {
            throw new ExitException(ExitCodes.USAGE, "--write needs a confirmation and there is no terminal to ask on: add --yes");
        }
        return context.tty().confirm("Write " + files(plan.changes().size()) + " into " + writeDir + "? [y/N] ");
    }

    private void apply(WritePlan plan) {
        try {
            plan.apply();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "cannot write into " + writeDir + ": " + e.getMessage(), e);
        }
    }

    static void printPlan(PrintWriter out, WritePlan plan, Style style) {
        out.println(style.bold("Plan for " + plan.dir() + " (" + files(plan.files().size()) + "):"));
        int width = plan.files().stream().mapToInt(f -> f.path().length()).max().orElse(0);
        for (WritePlan.FileChange f : plan.files()) {
            String label = String.format("%-9s", f.action().label());
            String colored = switch (f.action()) {
                case CREATE -> style.green(label);
                case CHANGE -> style.yellow(label);
                case UNCHANGED -> style.dim(label);
            };
            String counts = f.action() == WritePlan.Action.UNCHANGED ? ""
                    : "  +" + f.stats().added() + " -" + f.stats().removed();
            out.println(("  " + colored + "  " + String.format("%-" + width + "s", SafeText.of(f.path())) + counts).stripTrailing());
        }
        for (WritePlan.FileChange f : plan.changes()) {
            printDiff(out, f.diff(), style);
        }
        out.flush();
    }

    /** A unified diff after a blank line, coloured on a terminal, with what came from the model made safe. */
    static void printDiff(PrintWriter out, String diff, Style style) {
        out.println();
        for (String line : SafeText.of(diff).split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            out.println(line.startsWith("+++") || line.startsWith("---") ? style.bold(line)
                    : line.startsWith("@@") ? style.cyan(line)
                    : line.startsWith("+") ? style.green(line)
                    : line.startsWith("-") ? style.red(line) : line);
        }
    }

    private JsonNode withPlan(JsonNode response, WritePlan plan, boolean written) {
        ObjectNode doc = response.deepCopy();
        ObjectNode write = doc.putObject("write");
        write.put("dir", plan.dir().toString());
        write.put("written", written);
        ArrayNode list = write.putArray("files");
        for (WritePlan.FileChange f : plan.files()) {
            addFile(list, f.path(), f.action().label(), f.stats(), f.diff());
        }
        return doc;
    }

    /** One file of a plan in --json: what --write and a project's edits both print. */
    static void addFile(ArrayNode list, String path, String action, com.monkeycoder.cli.write.UnifiedDiff.Stats stats,
                        String diff) {
        ObjectNode file = list.addObject();
        file.put("path", path);
        file.put("action", action);
        file.put("added", stats.added());
        file.put("removed", stats.removed());
        file.put("diff", diff);
    }

    static String files(int n) {
        return n + (n == 1 ? " file" : " files");
    }

    private void explain(PrintWriter err, ExecuteResponse done) {
        if (!gateway.verbose || done == null) {
            return;
        }
        var usage = done.usage();
        err.println("monkey: " + SafeText.of(done.providerUsed() + "/" + done.modelUsed()
                + (usage == null ? "" : " · " + usage.promptTokens() + " in / " + usage.completionTokens() + " out tokens · "
                + Money.format(Math.round(usage.costUsd() * 1_000_000)))
                + (done.cached() ? " · from the gateway's cache" : "")
                + " · " + done.requestId()));
        var attempts = done.attempts() == null ? List.<Attempt>of() : done.attempts();
        if (attempts.size() > 1) {
            // The route the gateway took, in order: what failed before the answer came.
            err.println("monkey: route: " + SafeText.of(attempts.stream()
                    .map(a -> a.provider() + "/" + a.model() + " " + a.outcome().replace('_', ' ')
                            + (a.upstreamStatus() == null ? "" : " " + a.upstreamStatus()) + " (" + a.latencyMs() + " ms)")
                    .collect(java.util.stream.Collectors.joining(" → "))));
        }
        err.flush();
    }
}
