package dev.deepq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link FmaPeak}'s arguments: counts must be positive integers, and a bad one is named in the error. */
class FmaPeakTest {
    @Test
    void acceptsPositiveCounts() {
        assertThat(FmaPeak.parsePositive("40", "rounds")).isEqualTo(40);
        assertThat(FmaPeak.parsePositive("2", "threads")).isEqualTo(2);
    }

    @Test
    void refusesZeroNegativeAndNonNumbersByName() {
        assertThatThrownBy(() -> FmaPeak.parsePositive("0", "rounds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rounds must be a positive integer, got '0'");
        assertThatThrownBy(() -> FmaPeak.parsePositive("-2", "threads")).hasMessageContaining("threads")
                .hasMessageContaining("'-2'");
        assertThatThrownBy(() -> FmaPeak.parsePositive("two", "threads")).hasMessageContaining("'two'");
    }
}
