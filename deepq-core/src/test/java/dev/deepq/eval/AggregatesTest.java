package dev.deepq.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AggregatesTest {
    @Test
    void iqmTrimsAQuarterFromEachEndAsScipy() {
        // scipy.stats.trim_mean([1..10], 0.25): cut floor(2.5) = 2 from each end -> mean(3..8) = 5.5
        assertThat(Aggregates.iqm(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5})).isEqualTo(5.5);
        // n = 4: cut 1 -> mean of the middle two
        assertThat(Aggregates.iqm(new double[] {100, 1, 2, -50})).isEqualTo(1.5);
        // n = 3: cut 0 -> plain mean
        assertThat(Aggregates.iqm(new double[] {1, 2, 6})).isEqualTo(3.0);
        // ties
        assertThat(Aggregates.iqm(new double[] {5, 5, 5, 5, 500})).isEqualTo(5.0);
        assertThatThrownBy(() -> Aggregates.iqm(new double[0])).hasMessageContaining("no scores");
    }
}
