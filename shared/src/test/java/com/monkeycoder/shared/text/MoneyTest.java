package com.monkeycoder.shared.text;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MoneyTest {

    @ParameterizedTest(name = "{0} micro-dollars read {1}")
    @CsvSource({
            "0,              $0.00",
            "1,              $0.000001",
            "72,             $0.000072",
            "2100,           $0.0021",
            "2123456,        $2.12",
            "123456,         $0.1235",
            "500000,         $0.50",
            "75000,          $0.075",
            "999999,         $1.00",
            "1000000,        $1.00",
            "1005000,        $1.01",
            "1234500000,     '$1,234.50'",
            "-500,           -$0.0005",
            "-2500000,       -$2.50",
    })
    void centsFromADollarUpAndFourSignificantDigitsBelow(long micros, String shown) {
        assertThat(Money.format(micros)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "${0} per million reads {1}")
    @CsvSource({"2.0, $2.00", "0.15, $0.15", "0.075, $0.075", "15, $15.00"})
    void pricesInDollarsReadTheSame(double usd, String shown) {
        assertThat(Money.dollars(usd)).isEqualTo(shown);
    }
}
