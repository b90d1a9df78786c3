package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.nn.LinearInit;
import dev.deepq.nn.Mlp;
import dev.deepq.nn.Network;
import dev.deepq.nn.ParameterView;
import dev.deepq.random.Rng;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The critic ensemble's parts: REDQ's subset draws, the in-target minimum over the drawn subset, the actor-side value
 * (min, mean, first) and its action gradient, the DroQ critic's layers and gradients (finite differences with the
 * dropout masks held fixed), the regression step and bad options.
 */
class CriticEnsembleTest {
    private static final int OBS = 3;
    private static final int ACT = 2;

    private static CriticEnsemble ensemble(int n, int m, double dropout, boolean layerNorm, int batch, long seed) {
        return new CriticEnsemble(OBS, ACT, batch, new CriticEnsemble.Options(n, m, new int[] {8, 8}, dropout,
                layerNorm, 1e-3, 1e-8, LinearInit.pytorchDefault()), seed);
    }

    private static float[] uniform(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.uniform(-1, 1);
        }
        return x;
    }

    // ---- subset draws ----

    @Test
    void subsetDrawsAreDistinctUniformAndSeeded() {
        int n = 5;
        int m = 2;
        int draws = 100_000;
        Rng rng = Rng.seeded(3);
        int[] order = new int[n];
        long[][] orderedPairs = new long[n][n];
        long[] appearances = new long[n];
        for (int d = 0; d < draws; d++) {
            CriticEnsemble.drawSubset(rng, order, n, m);
            assertThat(order[0]).isNotEqualTo(order[1]);
            orderedPairs[order[0]][order[1]]++;
            appearances[order[0]]++;
            appearances[order[1]]++;
            // The rest of order stays a permutation of 0..n-1.
            assertThat(Arrays.stream(order).sorted().toArray()).containsExactly(0, 1, 2, 3, 4);
        }
        // Each of the 20 ordered pairs has probability 1/20: a chi-square with 19 degrees of freedom, whose 99.9 %
        // quantile is 43.8.
        double expected = draws / 20.0;
        double chiSquare = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    chiSquare += Math.pow(orderedPairs[i][j] - expected, 2) / expected;
                } else {
                    assertThat(orderedPairs[i][j]).isZero();
                }
            }
        }
        System.out.println("subset draws: chi-square over 20 ordered pairs = " + chiSquare);
        assertThat(chiSquare).isLessThan(43.8);
        for (long a : appearances) {
            // Each critic is in a subset with probability m / n = 0.4.
            assertThat(a / (double) draws).isCloseTo(0.4, within(0.01));
        }
        // Seeded: the same generator state gives the same draws; each draw depends on the state alone.
        int[] a = new int[n];
        int[] b = new int[n];
        Rng r1 = Rng.seeded(9);
        Rng r2 = Rng.seeded(9);
        Set<String> seen = new HashSet<>();
        for (int d = 0; d < 50; d++) {
            CriticEnsemble.drawSubset(r1, a, n, m);
            CriticEnsemble.drawSubset(r2, b, n, m);
            assertThat(a).isEqualTo(b);
            seen.add(a[0] + "," + a[1]);
        }
        assertThat(seen).hasSizeGreaterThan(10);
    }

    @Test
    void drawingAllCriticsGivesAPermutation() {
        int[] order = new int[4];
        CriticEnsemble.drawSubset(Rng.seeded(1), order, 4, 4);
        assertThat(Arrays.stream(order).sorted().toArray()).containsExactly(0, 1, 2, 3);
    }

    // ---- the target ----

    @Test
    void targetIsTheMinimumOverTheDrawnSubsetOfTargetCritics() {
        int b = 6;
        CriticEnsemble ensemble = ensemble(5, 2, 0, false, b, 4);
        Rng rng = Rng.seeded(2);
        Set<String> subsets = new HashSet<>();
        for (int call = 0; call < 30; call++) {
            // Let the critics differ from their targets, so the test would notice a forward pass on the wrong ones.
            ensemble.regress(uniform(rng, b * OBS), uniform(rng, b * ACT), uniform(rng, b), b, 1.0);
            float[] obs = uniform(rng, b * OBS);
            float[] act = uniform(rng, b * ACT);
            float[] y = ensemble.targetMin(obs, act, b).clone();
            int[] subset = ensemble.lastSubset();
            assertThat(subset).hasSize(2).doesNotHaveDuplicates();
            subsets.add(Math.min(subset[0], subset[1]) + "," + Math.max(subset[0], subset[1]));
            float[] expected = new float[b];
            Arrays.fill(expected, Float.POSITIVE_INFINITY);
            for (int k : subset) {
                float[] q = ensemble.target(k).forward(joined(obs, act, b), 0, b);
                for (int r = 0; r < b; r++) {
                    expected[r] = Math.min(expected[r], q[r]);
                }
            }
            assertThat(y).isEqualTo(expected);
        }
        // 30 draws from the 10 unordered pairs reach most of them.
        assertThat(subsets).hasSizeGreaterThan(6);
    }

    @Test
    void withTheWholeEnsembleAsSubsetTheTargetIsTheMinimumOverAllAndNothingIsDrawn() {
        int b = 4;
        CriticEnsemble ensemble = ensemble(3, 3, 0, false, b, 5);
        Rng rng = Rng.seeded(6);
        ensemble.regress(uniform(rng, b * OBS), uniform(rng, b * ACT), uniform(rng, b), b, 1.0);
        float[] obs = uniform(rng, b * OBS);
        float[] act = uniform(rng, b * ACT);
        float[] y = ensemble.targetMin(obs, act, b).clone();
        for (int r = 0; r < b; r++) {
            float min = Float.POSITIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                min = Math.min(min, ensemble.target(k).forward(joined(obs, act, b), 0, b)[r]);
            }
            assertThat(y[r]).isEqualTo(min);
        }
        assertThat(ensemble.lastSubset()).containsExactly(0, 1, 2);
        dev.deepq.state.StateWriter out = new dev.deepq.state.StateWriter();
        ensemble.saveState(out);
        assertThat(out.snapshot().entries()).doesNotContainKey("target_subset_rng")
                .doesNotContainKey("critic_dropout_rng");
    }

    private static float[] joined(float[] obs, float[] act, int b) {
        float[] in = new float[b * (OBS + ACT)];
        for (int r = 0; r < b; r++) {
            System.arraycopy(obs, r * OBS, in, r * (OBS + ACT), OBS);
            System.arraycopy(act, r * ACT, in, r * (OBS + ACT) + OBS, ACT);
        }
        return in;
    }

    // ---- the actor's value ----

    @Test
    void actorValuesAndTheirActionGradientsMatchFiniteDifferences() {
        int b = 5;
        for (ActorQ how : ActorQ.values()) {
            CriticEnsemble ensemble = ensemble(4, 4, 0, false, b, 7);
            Rng rng = Rng.seeded(8);
            float[] obs = uniform(rng, b * OBS);
            float[] act = uniform(rng, b * ACT);
            float[] value = ensemble.actorValue(obs, act, b, how).clone();
            float[] gradient = ensemble.actionGradient().clone();
            for (int r = 0; r < b; r++) {
                double[] q = new double[4];
                for (int k = 0; k < 4; k++) {
                    q[k] = ensemble.critic(k).forward(joined(obs, act, b), 0, b)[r];
                }
                double expected = switch (how) {
                    case MIN -> Arrays.stream(q).min().orElseThrow();
                    case MEAN -> Arrays.stream(q).average().orElseThrow();
                    case FIRST -> q[0];
                };
                assertThat((double) value[r]).as("%s row %d", how, r).isCloseTo(expected, within(1e-6));
            }
            // Central differences at two step sizes; a ReLU kink inside the larger step spoils only that one.
            double worst = 0;
            for (int k = 0; k < b * ACT; k++) {
                double best = Double.MAX_VALUE;
                for (float h : new float[] {1e-2f, 2e-3f}) {
                    float saved = act[k];
                    act[k] = saved + h;
                    double plus = ensemble.actorValue(obs, act, b, how)[k / ACT];
                    act[k] = saved - h;
                    double minus = ensemble.actorValue(obs, act, b, how)[k / ACT];
                    act[k] = saved;
                    best = Math.min(best, Math.abs((plus - minus) / (act[k] + h - (act[k] - h)) - gradient[k]));
                }
                worst = Math.max(worst, best);
            }
            System.out.println("actor value " + how + ": dV/da FD worst abs error " + worst);
            assertThat(worst).as("%s", how).isLessThan(1e-4);
        }
    }

    @Test
    void meanAndMinObjectivesDifferAndMeanAveragesTheCriticsGradients() {
        int b = 3;
        CriticEnsemble ensemble = ensemble(3, 3, 0, false, b, 11);
        Rng rng = Rng.seeded(12);
        float[] obs = uniform(rng, b * OBS);
        float[] act = uniform(rng, b * ACT);
        float[] mean = ensemble.actorValue(obs, act, b, ActorQ.MEAN).clone();
        float[] meanGradient = ensemble.actionGradient().clone();
        float[] min = ensemble.actorValue(obs, act, b, ActorQ.MIN).clone();
        float[] minGradient = ensemble.actionGradient().clone();
        for (int r = 0; r < b; r++) {
            assertThat(min[r]).isLessThanOrEqualTo(mean[r] + 1e-7f);
        }
        assertThat(minGradient).isNotEqualTo(meanGradient);
        // Mean: (1/N) sum_i dQ_i/da, each from the critic's own input gradient.
        float[] sum = new float[b * ACT];
        for (int k = 0; k < 3; k++) {
            Network q = ensemble.critic(k);
            q.forward(joined(obs, act, b), 0, b);
            q.backward(new float[] {1, 1, 1});
            for (int r = 0; r < b; r++) {
                for (int a = 0; a < ACT; a++) {
                    sum[r * ACT + a] += q.inputGradient()[r * (OBS + ACT) + OBS + a];
                }
            }
        }
        for (int k = 0; k < sum.length; k++) {
            assertThat(meanGradient[k]).isCloseTo(sum[k] / 3, within(1e-6f));
        }
    }

    // ---- the critics' architecture ----

    @Test
    void aPlainCriticIsTheMlpCriticWithItsNamesAndInitialWeights() {
        CriticEnsemble ensemble = ensemble(3, 3, 0, false, 4, 21);
        for (int i = 0; i < 3; i++) {
            Network mlp = Network.create(Mlp.builder(OBS + ACT).hidden(8, 8).output(1), 4)
                    .initialize(i < 2 ? Rng.derived(21, 4 + i) : Rng.derived(21, 4, i));
            assertThat(ensemble.critic(i).parameterViews()).isEqualTo(mlp.parameterViews());
            assertThat(ensemble.critic(i).parameters()).isEqualTo(mlp.parameters());
            assertThat(ensemble.target(i).parameters()).isEqualTo(mlp.parameters());
        }
        // Critics 0 and 1 keep the twin critics' streams; no two critics start alike.
        assertThat(ensemble.critic(2).parameters()).isNotEqualTo(ensemble.critic(1).parameters());
    }

    @Test
    void droqCriticsAreLinearDropoutLayerNormReluWithPyTorchNames() {
        CriticEnsemble ensemble = ensemble(2, 2, 0.1, true, 4, 1);
        List<String> names = ensemble.critic(0).parameterViews().stream().map(ParameterView::name).toList();
        // torch.nn.Sequential(Linear, Dropout, LayerNorm, ReLU, Linear, Dropout, LayerNorm, ReLU, Linear)
        assertThat(names).containsExactly("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
                "6.weight", "6.bias", "8.weight", "8.bias");
        List<String> layerNormOnly = ensemble(2, 2, 0, true, 4, 1).critic(0).parameterViews().stream()
                .map(ParameterView::name).toList();
        assertThat(layerNormOnly).containsExactly("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias",
                "4.weight", "4.bias", "6.weight", "6.bias");
    }

    @Test
    void droqCriticGradientsMatchFiniteDifferencesWithTheDropoutMasksHeldFixed() {
        int b = 4;
        CriticEnsemble ensemble = ensemble(2, 2, 0.2, true, b, 13);
        Network q = ensemble.critic(0);
        Rng masks = ensemble.dropoutRng();
        Rng rng = Rng.seeded(14);
        float[] in = uniform(rng, b * (OBS + ACT));
        float[] weights = uniform(rng, b);
        long[] maskState = masks.state();
        // Perturb the LayerNorm affine parameters away from (1, 0) so their gradients are exercised in general.
        float[] p = q.parameters();
        for (int k = 0; k < p.length; k++) {
            p[k] += (float) (0.1 * rng.uniform(-1, 1));
        }
        float[] out = q.forward(in, 0, b);
        assertThat(out).doesNotContain(Float.NaN);
        q.zeroGradients();
        q.backward(weights);
        float[] analytic = q.gradients().clone();
        float[] inputAnalytic = q.inputGradient().clone();
        int zeros = droppedUnits(b, masks, maskState);
        assertThat(zeros).as("some units dropped (p = 0.2)").isPositive();
        double worst = 0;
        for (int k = 0; k < p.length; k++) {
            double best = Double.MAX_VALUE;
            for (double h : new double[] {1e-2, 3e-3}) {
                float saved = p[k];
                p[k] = (float) (saved + h);
                double plus = loss(q, in, weights, b, masks, maskState);
                p[k] = (float) (saved - h);
                double minus = loss(q, in, weights, b, masks, maskState);
                p[k] = saved;
                double fd = (plus - minus) / (2 * h);
                best = Math.min(best, Math.abs(fd - analytic[k]) / Math.max(0.05, Math.abs(fd)));
            }
            worst = Math.max(worst, best);
        }
        double worstInput = 0;
        for (int k = 0; k < in.length; k++) {
            float saved = in[k];
            float h = 1e-2f;
            in[k] = saved + h;
            double plus = loss(q, in, weights, b, masks, maskState);
            in[k] = saved - h;
            double minus = loss(q, in, weights, b, masks, maskState);
            in[k] = saved;
            worstInput = Math.max(worstInput, Math.abs((plus - minus) / (2 * h) - inputAnalytic[k]));
        }
        System.out.println("DroQ critic FD: worst relative parameter error " + worst + ", worst input error "
                + worstInput + " (" + zeros + " units dropped)");
        assertThat(worst).isLessThan(5e-3);
        assertThat(worstInput).isLessThan(5e-3);
    }

    /** sum_r w_r Q(in_r) with the masks drawn from {@code state}. */
    private static double loss(Network q, float[] in, float[] w, int b, Rng masks, long[] state) {
        masks.restore(state);
        float[] out = q.forward(in, 0, b);
        double s = 0;
        for (int r = 0; r < b; r++) {
            s += (double) w[r] * out[r];
        }
        return s;
    }

    /** How many units the pass from {@code state} drops: one draw per unit, 2 layers x 8 units x b rows, p = 0.2. */
    private static int droppedUnits(int b, Rng masks, long[] state) {
        masks.restore(state);
        int dropped = 0;
        for (int k = 0; k < 2 * 8 * b; k++) {
            if (masks.random() < 0.2) {
                dropped++;
            }
        }
        masks.restore(state);
        return dropped;
    }

    @Test
    void dropoutDrawsFromTheEnsemblesCheckpointedGenerator() {
        int b = 3;
        CriticEnsemble a = ensemble(2, 2, 0.3, false, b, 15);
        CriticEnsemble same = ensemble(2, 2, 0.3, false, b, 15);
        Rng rng = Rng.seeded(16);
        float[] obs = uniform(rng, b * OBS);
        float[] act = uniform(rng, b * ACT);
        float[] first = a.targetMin(obs, act, b).clone();
        float[] second = a.targetMin(obs, act, b).clone();
        assertThat(second).as("fresh masks each pass").isNotEqualTo(first);
        same.targetMin(obs, act, b);
        // Restoring the saved generator replays the masks.
        dev.deepq.state.StateWriter out = new dev.deepq.state.StateWriter();
        a.saveState(out);
        assertThat(out.snapshot().entries()).containsKey("critic_dropout_rng");
        float[] third = a.targetMin(obs, act, b).clone();
        same.restoreState(new dev.deepq.state.StateReader(out.snapshot()));
        assertThat(same.targetMin(obs, act, b)).isEqualTo(third);
    }

    // ---- regression, targets, options ----

    @Test
    void regressionLossIsTheScaledSumOfTheCriticsMeanSquaredErrorsAndDecreases() {
        int b = 8;
        CriticEnsemble ensemble = ensemble(3, 3, 0, false, b, 17);
        Rng rng = Rng.seeded(18);
        float[] obs = uniform(rng, b * OBS);
        float[] act = uniform(rng, b * ACT);
        float[] y = uniform(rng, b);
        double expected = 0;
        for (int k = 0; k < 3; k++) {
            float[] q = ensemble.critic(k).forward(joined(obs, act, b), 0, b);
            double se = 0;
            for (int r = 0; r < b; r++) {
                se += Math.pow(q[r] - y[r], 2);
            }
            expected += 0.5 * se / b;
        }
        double loss = ensemble.regress(obs, act, y, b, 0.5);
        assertThat(loss).isCloseTo(expected, within(1e-9));
        for (int step = 0; step < 200; step++) {
            ensemble.regress(obs, act, y, b, 0.5);
        }
        assertThat(ensemble.regress(obs, act, y, b, 0.5)).isLessThan(loss / 2);
        // The targets did not move without a Polyak update; one with tau 1 copies the critics.
        assertThat(ensemble.target(0).parameters()).isNotEqualTo(ensemble.critic(0).parameters());
        ensemble.polyakUpdate(1.0);
        for (int k = 0; k < 3; k++) {
            assertThat(ensemble.target(k).parameters()).isEqualTo(ensemble.critic(k).parameters());
        }
    }

    @Test
    void badOptionsAreRefusedWithTheirValidRange() {
        assertThatThrownBy(() -> ensemble(0, 0, 0, false, 2, 1)).hasMessageContaining("at least one critic");
        assertThatThrownBy(() -> ensemble(3, 4, 0, false, 2, 1)).hasMessageContaining("1 to 3 critics, got 4");
        assertThatThrownBy(() -> ensemble(3, 0, 0, false, 2, 1)).hasMessageContaining("1 to 3 critics, got 0");
        assertThatThrownBy(() -> ensemble(2, 2, 1.0, false, 2, 1)).hasMessageContaining("[0, 1), got 1.0");
        assertThatThrownBy(() -> ensemble(2, 2, -0.1, false, 2, 1)).hasMessageContaining("[0, 1), got -0.1");
    }
}
