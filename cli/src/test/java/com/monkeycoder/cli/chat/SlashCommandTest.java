package com.monkeycoder.cli.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlashCommandTest {

    @Test
    void messagesAreNotCommands() {
        assertThat(SlashCommand.parse("write a parser")).isEmpty();
        assertThat(SlashCommand.parse("  what does a/b mean?")).isEmpty();
        assertThat(SlashCommand.parse("//etc/hosts is odd")).isEmpty();
        assertThat(SlashCommand.messageText("//etc/hosts is odd")).isEqualTo("/etc/hosts is odd");
        assertThat(SlashCommand.messageText("  plain  ")).isEqualTo("plain");
    }

    @Test
    void commandsWithAndWithoutArguments() {
        assertThat(SlashCommand.parse("/model openai/gpt-4.1")).contains(new SlashCommand.Model("openai/gpt-4.1"));
        assertThat(SlashCommand.parse("/model")).contains(new SlashCommand.Model(null));
        assertThat(SlashCommand.parse("/MODEL   ")).contains(new SlashCommand.Model(null));
        assertThat(SlashCommand.parse("/provider groq")).contains(new SlashCommand.Provider("groq"));
        assertThat(SlashCommand.parse("/persona backend")).contains(new SlashCommand.Persona("backend"));
        assertThat(SlashCommand.parse("/save my chat.md")).contains(new SlashCommand.Save("my chat.md"));
        assertThat(SlashCommand.parse("/clear")).contains(new SlashCommand.Clear());
        assertThat(SlashCommand.parse("/usage")).contains(new SlashCommand.Usage());
        assertThat(SlashCommand.parse("/help")).contains(new SlashCommand.Help());
        assertThat(SlashCommand.parse("/exit")).contains(new SlashCommand.Exit());
        assertThat(SlashCommand.parse("/quit")).contains(new SlashCommand.Exit());
    }

    @Test
    void saveWithoutAFileAndUnknownCommandsSayWhatIsWrong() {
        assertThat(SlashCommand.parse("/save")).get().isInstanceOfSatisfying(SlashCommand.Invalid.class,
                i -> assertThat(i.message()).contains("/save needs a file name"));
        assertThat(SlashCommand.parse("/usr/bin/env is missing")).get().isInstanceOfSatisfying(SlashCommand.Invalid.class,
                i -> assertThat(i.message()).contains("unknown command /usr/bin/env").contains("//"));
    }

    @Test
    void continuationBackslashesAreDropped() {
        assertThat(ContinuationParser.join("first \\\nsecond\\\nthird")).isEqualTo("first \nsecond\nthird");
    }
}
