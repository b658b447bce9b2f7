package com.monkeycoder.daemon.accounts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    @Test
    void hashesAreSaltedPbkdf2AtOwaspsCountAndVerify() {
        PasswordHasher hasher = new PasswordHasher();

        String a = hasher.hash("correct horse battery");
        String b = hasher.hash("correct horse battery");

        assertThat(a).startsWith("pbkdf2-sha256$600000$").isNotEqualTo(b);
        assertThat(hasher.verify("correct horse battery", a)).isTrue();
        assertThat(hasher.verify("correct horse batterx", a)).isFalse();
        assertThat(hasher.verify("correct horse battery", "md5$whatever")).isFalse();
    }

    @Test
    void aHashMadeAtAnotherCountStillVerifies() {
        String older = new PasswordHasher(1_000).hash("s3cret-password");

        assertThat(new PasswordHasher().verify("s3cret-password", older)).isTrue();
    }
}
