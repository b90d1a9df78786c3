package dev.deepq.nn.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

/** Loss values by hand, and every loss gradient by central finite differences (the losses sum in double). */
class LossTest {
    private static final int ROWS = 7;
    private static final int COLS = 3;

    @Test
    void mseByHand() {
        float[] p = {1f, 2f, -1f};
        float[] t = {0f, 2f, 1f};
        float[] g = new float[3];
        assertThat(MseLoss.INSTANCE.compute(p, t, 3, g)).isEqualTo(5f / 3f);
        assertThat(g).containsExactly(2f / 3f, 0f, -4f / 3f);
        float[] w = {2f, 1f, 0.5f};
        assertThat(MseLoss.INSTANCE.compute(p, t, w, 3, 1, g)).isCloseTo((2f + 0f + 2f) / 3f, within(1e-7f));
        assertThat(g[0]).isCloseTo(4f / 3f, within(1e-7f));
        assertThat(g[2]).isCloseTo(-2f / 3f, within(1e-7f));
    }

    @Test
    void huberAndSmoothL1ByHand() {
        float[] p = {0.5f, 3f, -2f, 0f};
        float[] t = {0f, 0f, 0f, 0f};
        float[] g = new float[4];
        // delta 1: 0.125, 2.5, 1.5, 0
        assertThat(HuberLoss.huber(1).compute(p, t, 4, g)).isCloseTo((0.125f + 2.5f + 1.5f) / 4, within(1e-7f));
        assertThat(g).containsExactly(0.125f, 0.25f, -0.25f, 0f);
        // delta 2: 0.125, 2·(3 − 1) = 4, 0.5·4 = 2 (|d| = δ is linear, which is the same value), 0
        assertThat(HuberLoss.huber(2).compute(p, t, 4, g)).isCloseTo((0.125f + 4f + 2f) / 4, within(1e-7f));
        assertThat(g).containsExactly(0.125f, 0.5f, -0.5f, 0f);
        // smooth L1, beta 2 = huber(2) / 2
        assertThat(HuberLoss.smoothL1(2).compute(p, t, 4, g)).isCloseTo((0.125f + 4f + 2f) / 8, within(1e-7f));
        assertThat(g).containsExactly(0.0625f, 0.25f, -0.25f, 0f);
        assertThatThrownBy(() -> HuberLoss.huber(0)).hasMessageContaining("positive");
    }

    @Test
    void regressionLossGradientsMatchFiniteDifferences() {
        for (RegressionLoss loss : new RegressionLoss[] {MseLoss.INSTANCE, HuberLoss.huber(0.7),
                HuberLoss.smoothL1(0.5)}) {
            for (boolean weighted : new boolean[] {false, true}) {
                Rng rng = Rng.seeded(3);
                float[] p = values(rng, ROWS * COLS, 2);
                float[] t = values(rng, ROWS * COLS, 2);
                float[] w = weighted ? positive(rng, ROWS) : null;
                float[] g = new float[ROWS * COLS];
                loss.compute(p, t, w, ROWS, COLS, g);
                for (int i = 0; i < p.length; i++) {
                    float saved = p[i];
                    float up = saved + 1e-3f;
                    float down = saved - 1e-3f;
                    p[i] = up;
                    double plus = loss.compute(p, t, w, ROWS, COLS, null);
                    p[i] = down;
                    double minus = loss.compute(p, t, w, ROWS, COLS, null);
                    p[i] = saved;
                    double fd = (plus - minus) / ((double) up - down);
                    assertThat((double) g[i]).as(loss + " weighted=" + weighted + " element " + i)
                            .isCloseTo(fd, within(2e-4 + 1e-3 * Math.abs(fd)));
                }
            }
        }
    }

    @Test
    void crossEntropyByHandAndByFiniteDifferences() {
        float[] logits = {0f, 0f, (float) Math.log(2)};
        float[] g = new float[3];
        // softmax = (1/4, 1/4, 1/2)
        assertThat(CrossEntropyLoss.withLabels(logits, 1, 3, new int[] {2}, null, g))
                .isCloseTo((float) Math.log(2), within(1e-7f));
        assertThat(g[0]).isCloseTo(0.25f, within(1e-7f));
        assertThat(g[2]).isCloseTo(-0.5f, within(1e-7f));
        assertThatThrownBy(() -> CrossEntropyLoss.withLabels(logits, 1, 3, new int[] {3}, null, g))
                .hasMessageContaining("label 3 of sample 0 is not in [0, 3)");

        Rng rng = Rng.seeded(4);
        int classes = 5;
        float[] z = values(rng, ROWS * classes, 3);
        int[] labels = new int[ROWS];
        for (int b = 0; b < ROWS; b++) {
            labels[b] = (int) (rng.random() * classes);
        }
        float[] targets = positive(rng, ROWS * classes);
        for (int b = 0; b < ROWS; b++) {
            float s = 0;
            for (int c = 0; c < classes; c++) {
                s += targets[b * classes + c];
            }
            for (int c = 0; c < classes; c++) {
                targets[b * classes + c] /= s;
            }
        }
        float[] w = positive(rng, ROWS);
        float[] gl = new float[z.length];
        float[] gd = new float[z.length];
        CrossEntropyLoss.withLabels(z, ROWS, classes, labels, w, gl);
        CrossEntropyLoss.withDistributions(z, ROWS, classes, targets, w, gd);
        // One-hot distributions give the label loss.
        float[] oneHot = new float[z.length];
        for (int b = 0; b < ROWS; b++) {
            oneHot[b * classes + labels[b]] = 1f;
        }
        assertThat(CrossEntropyLoss.withDistributions(z, ROWS, classes, oneHot, w, null))
                .isCloseTo(CrossEntropyLoss.withLabels(z, ROWS, classes, labels, w, null), within(1e-6f));
        for (int i = 0; i < z.length; i++) {
            float saved = z[i];
            float up = saved + 1e-3f;
            float down = saved - 1e-3f;
            double h = (double) up - down;
            z[i] = up;
            double lp = CrossEntropyLoss.withLabels(z, ROWS, classes, labels, w, null);
            double dp = CrossEntropyLoss.withDistributions(z, ROWS, classes, targets, w, null);
            z[i] = down;
            double lm = CrossEntropyLoss.withLabels(z, ROWS, classes, labels, w, null);
            double dm = CrossEntropyLoss.withDistributions(z, ROWS, classes, targets, w, null);
            z[i] = saved;
            assertThat((double) gl[i]).as("labels, logit " + i).isCloseTo((lp - lm) / h, within(2e-4));
            assertThat((double) gd[i]).as("distributions, logit " + i).isCloseTo((dp - dm) / h, within(2e-4));
        }
    }

    private static float[] values(Rng rng, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.uniform(-scale, scale);
        }
        return x;
    }

    private static float[] positive(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.uniform(0.2, 2);
        }
        return x;
    }
}
