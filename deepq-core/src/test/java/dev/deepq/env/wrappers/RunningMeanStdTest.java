package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

class RunningMeanStdTest {

    /**
     * The straightforward statistics the parallel update must amount to: the prior (weight c0, mean 0, variance 1)
     * pooled with the samples: mean = sum / (c0 + n), var = (c0 * (1 + mean^2) + sum (x - mean)^2) / (c0 + n).
     */
    static double[] pooled(double[] xs, int n) {
        double c0 = RunningMeanStd.DEFAULT_PRIOR_COUNT;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += xs[i];
        }
        double mean = sum / (c0 + n);
        double m2 = c0 * (1 + mean * mean);
        for (int i = 0; i < n; i++) {
            m2 += (xs[i] - mean) * (xs[i] - mean);
        }
        return new double[] {mean, m2 / (c0 + n)};
    }

    @Test
    void firstUpdateByHand() {
        RunningMeanStd rms = new RunningMeanStd(2);
        assertThat(rms.mean(0)).isZero();
        assertThat(rms.var(0)).isEqualTo(1.0);
        assertThat(rms.count()).isEqualTo(1e-4);
        rms.update(new double[] {3.0, -1.0}, 0);
        double total = 1e-4 + 1;
        assertThat(rms.count()).isEqualTo(total);
        assertThat(rms.mean(0)).isEqualTo(3.0 / total);
        assertThat(rms.mean(1)).isEqualTo(-1.0 / total);
        // M2 = var * count + delta^2 * count * 1 / total
        assertThat(rms.var(0)).isEqualTo((1e-4 + 9.0 * 1e-4 / total) / total);
        assertThat(rms.var(1)).isEqualTo((1e-4 + 1.0 * 1e-4 / total) / total);
    }

    @Test
    void sequentialUpdatesEqualThePooledStatistics() {
        Rng rng = Rng.seeded(5);
        double[] xs = new double[2000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 3 + 2 * rng.random() + (i % 7);
        }
        RunningMeanStd rms = new RunningMeanStd(1);
        for (int n = 1; n <= xs.length; n++) {
            rms.update(xs[n - 1]);
            double[] ref = pooled(xs, n);
            assertThat(rms.mean(0)).as("mean after %d", n).isCloseTo(ref[0], within(1e-12 * Math.abs(ref[0])));
            assertThat(rms.var(0)).as("var after %d", n).isCloseTo(ref[1], within(1e-10 * ref[1]));
        }
    }

    @Test
    void updateFromMomentsOfABatchOfOneEqualsASingleUpdate() {
        RunningMeanStd a = new RunningMeanStd(3);
        RunningMeanStd b = new RunningMeanStd(3);
        double[][] samples = {{1, 2, 3}, {-4, 0.5, 7}, {0.25, 9, -2}};
        for (double[] x : samples) {
            a.update(x, 0);
            b.updateFromMoments(x, new double[3], 1);
        }
        assertThat(a.state()).isEqualTo(b.state());
    }

    @Test
    void updateFromMomentsOfABatchMatchesPooling() {
        double[] xs = {1, 4, 2, 8, 5, 7};
        double mean = 27.0 / 6;
        double var = 0;
        for (double x : xs) {
            var += (x - mean) * (x - mean);
        }
        var /= 6;
        RunningMeanStd rms = new RunningMeanStd(1);
        rms.updateFromMoments(new double[] {mean}, new double[] {var}, 6);
        double[] ref = pooled(xs, 6);
        assertThat(rms.mean(0)).isCloseTo(ref[0], within(1e-14));
        assertThat(rms.var(0)).isCloseTo(ref[1], within(1e-13));
        assertThat(rms.count()).isEqualTo(6 + 1e-4);
    }

    @Test
    void stateRoundTripsAndIsACopy() {
        RunningMeanStd rms = new RunningMeanStd(2);
        rms.update(new double[] {1, 2}, 0);
        rms.update(new double[] {3, -5}, 0);
        RunningMeanStd.State saved = rms.state();
        double[] mean = saved.mean();
        mean[0] = 99; // the state is not aliased
        assertThat(saved.mean()[0]).isNotEqualTo(99);

        RunningMeanStd copy = new RunningMeanStd(2);
        copy.restore(saved);
        assertThat(copy.state()).isEqualTo(saved);
        rms.update(new double[] {7, 7}, 0);
        copy.update(new double[] {7, 7}, 0);
        assertThat(copy.state()).isEqualTo(rms.state());

        RunningMeanStd.State rebuilt = new RunningMeanStd.State(saved.mean(), saved.var(), saved.count());
        assertThat(rebuilt).isEqualTo(saved);
    }

    @Test
    void frozenIgnoresUpdates() {
        RunningMeanStd rms = new RunningMeanStd(1);
        rms.update(2.0);
        RunningMeanStd.State before = rms.state();
        rms.setFrozen(true);
        rms.update(50.0);
        rms.update(new double[] {50.0}, 0);
        rms.updateFromMoments(new double[] {5}, new double[] {1}, 3);
        assertThat(rms.state()).isEqualTo(before);
        rms.setFrozen(false);
        rms.update(50.0);
        assertThat(rms.state()).isNotEqualTo(before);
    }

    @Test
    void normalizeUsesMeanAndVariance() {
        RunningMeanStd rms = new RunningMeanStd(2);
        rms.restore(new RunningMeanStd.State(new double[] {1, -2}, new double[] {4, 0.25}, 10));
        double[] out = new double[2];
        rms.normalize(new double[] {5, -1}, 0, out, 0, 0.0);
        assertThat(out).containsExactly(2.0, 2.0);
    }

    @Test
    void clearErrors() {
        RunningMeanStd rms = new RunningMeanStd(2);
        assertThatThrownBy(() -> rms.restore(new RunningMeanStd.State(new double[3], new double[3], 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size 2").hasMessageContaining("size 3");
        assertThatThrownBy(() -> new RunningMeanStd.State(new double[2], new double[] {1, -1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("var[1]");
        assertThatThrownBy(() -> new RunningMeanStd.State(new double[2], new double[2], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> rms.update(1.0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("size 1");
        assertThatThrownBy(() -> new RunningMeanStd(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
