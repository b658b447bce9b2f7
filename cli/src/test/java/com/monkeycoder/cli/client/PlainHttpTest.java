package com.monkeycoder.cli.client;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainHttpTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:8420", "http://127.9.8.7", "http://localhost:1", "http://LOCALHOST",
            "http://[::1]:8420", "http://[0:0:0:0:0:0:0:1]", "https://gateway.example.com", "https://192.0.2.7:8443",
            "http://localhost./x"})
    void loopbackAndHttpsNeedNoFlag(String url) {
        assertThatCode(() -> PlainHttp.check(url, false)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://gateway.example.com", "http://192.0.2.7:8420", "http://127.0.0.1.evil.example",
            "http://localhost.evil.example", "http://[::2]", "http://10.0.0.1", "http://0.0.0.0:8420",
            "http://[::ffff:192.0.2.7]", "http://user@evil.example#@127.0.0.1", "HTTP://gateway.example.com"})
    void plainHttpToAnotherMachineIsRefusedWithExitThree(String url) {
        assertThatThrownBy(() -> PlainHttp.check(url, false)).isInstanceOfSatisfying(ExitException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(e.getMessage()).startsWith("refusing to send a key or password over plain http to ")
                    .contains("--insecure").contains("MONKEY_CODER_INSECURE=1").doesNotContain("\n");
        });
        assertThatCode(() -> PlainHttp.check(url, true)).doesNotThrowAnyException();
    }

    @Test
    void theEnvironmentAllowsItWithOneTrueOrYes() {
        for (String yes : new String[]{"1", "true", "YES"}) {
            assertThat(PlainHttp.allowed(new CliContext(Map.of("MONKEY_CODER_INSECURE", yes), false), false)).isTrue();
        }
        for (String no : new String[]{"0", "false", "", "no"}) {
            assertThat(PlainHttp.allowed(new CliContext(Map.of("MONKEY_CODER_INSECURE", no), false), false)).isFalse();
        }
        assertThat(PlainHttp.allowed(new CliContext(Map.of(), false), true)).isTrue();
    }
}
