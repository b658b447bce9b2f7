package com.monkeycoder.daemon.store;

import com.monkeycoder.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgres://u:p%40ss@db.internal:6543/monkey|jdbc:postgresql://db.internal:6543/monkey?user=u&password=p%40ss",
            "postgresql://db/monkey?sslmode=require|jdbc:postgresql://db/monkey?sslmode=require",
            "jdbc:postgresql://127.0.0.1/test?user=postgres|jdbc:postgresql://127.0.0.1/test?user=postgres"})
    void platformStyleUrlsBecomeJdbcUrls(String url, String jdbc) {
        assertThat(Database.jdbcPostgresUrl(url)).isEqualTo(jdbc);
    }

    @Test
    void passwordsAreNeverShown() {
        assertThat(Database.redacted("jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
    }

    @Test
    void otherSchemesAreRefusedWithTheFormsThatWork() {
        assertThatThrownBy(() -> Database.jdbcPostgresUrl("mysql://h/db")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("postgres://");
    }

    @Test
    void postgresColumnsAre64Bit() {
        assertThat(Dialect.POSTGRES.migration("created_ms INTEGER NOT NULL")).isEqualTo("created_ms BIGINT NOT NULL");
        assertThat(Dialect.SQLITE.migration("created_ms INTEGER NOT NULL")).isEqualTo("created_ms INTEGER NOT NULL");
    }
}
