package dev.deepq.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

/** Initializers: the distributions PyTorch (and the streaming-RL paper) define, drawn deterministically. */
class InitTest {

    @Test
    void pytorchLinearDefaultIsUniformWithBoundOneOverSqrtFanIn() {
        int rows = 64;
        int cols = 50;
        float[] w = new float[rows * cols];
        float[] b = new float[rows];
        Init.pytorchLinear(w, 0, rows, cols, b, 0, Rng.seeded(1));
        double bound = 1 / Math.sqrt(cols);
        assertUniform(w, bound);
        for (float x : b) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo((float) bound);
        }
        float[] again = new float[rows * cols];
        Init.pytorchLinear(again, 0, rows, cols, null, 0, Rng.seeded(1));
        assertThat(again).containsExactly(w);
    }

    /** Draws of U(−a, a): inside the bound, mean 0 and variance a²/3 within sampling error, reaching near a. */
    private static void assertUniform(float[] w, double bound) {
        double sum = 0;
        double squares = 0;
        float max = 0;
        for (float x : w) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo((float) bound);
            sum += x;
            squares += (double) x * x;
            max = Math.max(max, Math.abs(x));
        }
        assertThat(sum / w.length).isCloseTo(0, within(0.05 * bound));
        assertThat(squares / w.length).isCloseTo(bound * bound / 3, within(0.1 * bound * bound / 3));
        assertThat((double) max).isGreaterThan(0.95 * bound);
    }

    @Test
    void xavierUniformHasTheGlorotBound() {
        int rows = 40;
        int cols = 90;
        float[] w = new float[rows * cols];
        Init.xavierUniform(w, 0, rows, cols, 1.5, Rng.seeded(2));
        // a²/3 = gain² · 2 / (fan_in + fan_out), torch.nn.init.xavier_uniform_'s variance.
        assertUniform(w, 1.5 * Math.sqrt(6.0 / (rows + cols)));
        Network net = Network.create(Mlp.builder(5).hidden(7).init(LinearInit.xavierUniform(1, 0)).output(3), 1)
                .initialize(Rng.seeded(3));
        for (String name : new String[] {"0.bias", "2.bias"}) {
            ParameterView bias = net.parameter(name);
            for (int i = 0; i < bias.size(); i++) {
                assertThat(net.parameters()[bias.offset() + i]).isZero();
            }
        }
        ParameterView out = net.parameter("2.weight");
        for (int i = 0; i < out.size(); i++) {
            assertThat(Math.abs(net.parameters()[out.offset() + i])).isLessThanOrEqualTo((float) Math.sqrt(0.6));
        }
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormalTimesGain() {
        for (int[] shape : new int[][] {{8, 8}, {5, 12}, {12, 5}, {1, 7}, {7, 1}}) {
            int rows = shape[0];
            int cols = shape[1];
            double gain = Math.sqrt(2);
            float[] w = new float[2 + rows * cols];
            Init.orthogonal(w, 2, rows, cols, gain, Rng.seeded(rows * 100L + cols));
            assertThat(w[0]).isZero();
            assertThat(w[1]).isZero();
            // Wide: W·Wᵀ = gain²·I; tall: Wᵀ·W = gain²·I.
            boolean wide = rows <= cols;
            int n = wide ? rows : cols;
            int len = wide ? cols : rows;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int t = 0; t < len; t++) {
                        double a = wide ? w[2 + i * cols + t] : w[2 + t * cols + i];
                        double c = wide ? w[2 + j * cols + t] : w[2 + t * cols + j];
                        dot += a * c;
                    }
                    assertThat(dot).as(rows + "x" + cols + " (" + i + "," + j + ")")
                            .isCloseTo(i == j ? gain * gain : 0, within(1e-5));
                }
            }
        }
    }

    @Test
    void sparseZeroesTheSameNumberInEveryRow() {
        int rows = 20;
        int cols = 30;
        float[] w = new float[rows * cols];
        Init.sparse(w, 0, rows, cols, 0.9, Rng.seeded(3));
        int zerosPerRow = (int) Math.ceil(0.9 * cols);
        double bound = Math.sqrt(1.0 / cols);
        boolean[] everZero = new boolean[cols];
        for (int r = 0; r < rows; r++) {
            int zeros = 0;
            for (int c = 0; c < cols; c++) {
                float x = w[r * cols + c];
                assertThat(Math.abs(x)).isLessThanOrEqualTo((float) bound);
                if (x == 0f) {
                    zeros++;
                    everZero[c] = true;
                }
            }
            assertThat(zeros).as("row " + r).isEqualTo(zerosPerRow);
        }
        // The zeroed positions differ between rows: every column is zero somewhere.
        for (boolean z : everZero) {
            assertThat(z).isTrue();
        }
    }

    @Test
    void linearLayersUseTheirConfiguredInit() {
        Network sparse = Network.create(Mlp.builder(10).hidden(16).init(LinearInit.sparse(0.5)).output(4), 1)
                .initialize(Rng.seeded(4));
        ParameterView w0 = sparse.parameter("0.weight");
        int zeros = 0;
        for (int i = 0; i < w0.size(); i++) {
            zeros += sparse.parameters()[w0.offset() + i] == 0f ? 1 : 0;
        }
        assertThat(zeros).isEqualTo(16 * 5);
        ParameterView b0 = sparse.parameter("0.bias");
        for (int i = 0; i < b0.size(); i++) {
            assertThat(sparse.parameters()[b0.offset() + i]).isZero();
        }
        Network ortho = Network.create(Mlp.builder(6).hidden(6).init(LinearInit.orthogonal(1, 0.5))
                .outputInit(LinearInit.orthogonal(0.01, 0)).output(6), 1).initialize(Rng.seeded(5));
        ParameterView out = ortho.parameter("2.weight");
        double diag = 0;
        for (int t = 0; t < 6; t++) {
            double x = ortho.parameters()[out.offset() + t];
            diag += x * x;
        }
        assertThat(diag).isCloseTo(1e-4, within(1e-9));
        assertThat(ortho.parameters()[ortho.parameter("0.bias").offset()]).isEqualTo(0.5f);
    }

    @Test
    void boundedIntegersAreUniform() {
        Rng rng = Rng.seeded(9);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[Init.nextInt(rng, 7)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
    }

    @Test
    void erfMatchesKnownValues() {
        assertThat(Erf.erf(0)).isEqualTo(0.0);
        assertThat(Erf.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-16));
        assertThat(Erf.erf(1)).isCloseTo(0.8427007929497149, within(1e-16));
        assertThat(Erf.erf(-2)).isCloseTo(-0.9953222650189527, within(1e-16));
        assertThat(Erf.erf(3)).isCloseTo(0.9999779095030014, within(1e-16));
        assertThat(Erf.erf(1e-10)).isCloseTo(1.1283791670955126e-10, within(1e-25));
        assertThat(Erf.erf(7)).isEqualTo(1.0);
        assertThat(Erf.erf(Double.NaN)).isNaN();
    }
}
