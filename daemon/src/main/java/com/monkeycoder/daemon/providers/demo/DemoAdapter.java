package com.monkeycoder.daemon.providers.demo;

import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.daemon.providers.EventStream;
import com.monkeycoder.daemon.providers.ProviderAdapter;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.daemon.providers.TokenEstimator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline provider: lets anyone try the whole pipeline (auth, routing, streaming, ledger) without a key.
 * Its answer is deterministic, says plainly that it comes from the demo and explains how to set up a real
 * provider. It is only used when asked for by name.
 */
public final class DemoAdapter implements ProviderAdapter {

    public static final String NAME = "demo";
    private static final Pattern CHUNK = Pattern.compile("\\S+\\s*|\\s+");

    private final Duration chunkDelay;

    /** @param chunkDelay the pause between streamed chunks, so the demo streams at a readable pace */
    public DemoAdapter(Duration chunkDelay) {
        this.chunkDelay = chunkDelay;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WireFamily family() {
        return WireFamily.DEMO;
    }

    @Override
    public Answer complete(ConversationRequest request) {
        String answer = answer(request);
        return Answer.text(answer, FinishReason.STOP, usage(request, answer));
    }

    @Override
    public EventStream stream(ConversationRequest request) {
        String answer = answer(request);
        List<StreamEvent> events = new ArrayList<>();
        Matcher m = CHUNK.matcher(answer);
        while (m.find()) {
            events.add(new StreamEvent.TextDelta(m.group()));
        }
        events.add(new StreamEvent.Finished(FinishReason.STOP));
        events.add(new StreamEvent.UsageReported(usage(request, answer)));
        Iterator<StreamEvent> it = events.iterator();
        return new EventStream() {
            @Override
            public Optional<StreamEvent> next() throws ProviderException {
                if (!it.hasNext()) {
                    return Optional.empty();
                }
                StreamEvent e = it.next();
                if (e instanceof StreamEvent.TextDelta && !chunkDelay.isZero()) {
                    try {
                        Thread.sleep(chunkDelay);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new ProviderException(ProviderException.Kind.NETWORK, NAME, "the demo stream was interrupted");
                    }
                }
                return Optional.of(e);
            }

            @Override
            public void close() {
                // nothing upstream to cancel
            }
        };
    }

    private static TokenCount usage(ConversationRequest request, String answer) {
        return new TokenCount(TokenEstimator.estimate(request), TokenEstimator.estimate(answer));
    }

    /** The demo's answer: the same request always gets the same text. */
    static String answer(ConversationRequest request) {
        String task = lastUserMessage(request.messages()).strip();
        String shown = task.length() > 200 ? task.substring(0, 200) + "..." : task;
        String firstLine = shown.lines().findFirst().orElse("");
        return """
                **Monkey Coder offline demo.** This answer comes from the built-in `demo` provider, not from an AI \
                model: it shows the whole pipeline working (authentication, routing, streaming, usage ledger) \
                without any provider key.

                Your task: "%s"

                A real model would now answer with working code. An answer to this task would take this shape:

                ```text
                1. Restate the task: %s
                2. List the files to create or change
                3. Give each file in full, in its own fenced code block
                4. Say how to build, run and test it
                ```

                To get real answers, set a provider key and leave out `--provider demo`, for example:

                    export OPENAI_API_KEY=sk-...

                Also supported: ANTHROPIC_API_KEY, GOOGLE_API_KEY, GROQ_API_KEY, XAI_API_KEY, \
                PERPLEXITY_API_KEY, MOONSHOT_API_KEY, OPENROUTER_API_KEY, or OLLAMA_HOST for a local Ollama. \
                Then restart the daemon (`monkey daemon stop`) and check with `monkey providers`.
                """.formatted(shown, firstLine);
    }

    private static String lastUserMessage(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return messages.get(i).text();
            }
        }
        return "";
    }
}
