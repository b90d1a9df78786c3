package dev.deepq.nn.loss;

/**
 * Cross-entropy over logits ({@code torch.nn.functional.cross_entropy}) with mean reduction over the batch and
 * optional per-sample weights: loss = (1/B) Σ_b w_b · (−Σ_c t_bc · log softmax(z_b)_c), gradient
 * w_b·(softmax(z_b)·Σ_c t_bc − t_b)/B. Targets are class indices or distributions (soft targets, as HL-Gauss and
 * C51 use). The log-softmax is computed in double precision with the max subtracted.
 */
public final class CrossEntropyLoss {
    private CrossEntropyLoss() {}

    /**
     * Cross-entropy against class indices. {@code logits} is batch×classes row-major; {@code weights} may be null;
     * {@code gradient} (batch×classes) may be null.
     */
    public static float withLabels(float[] logits, int batch, int classes, int[] labels, float[] weights,
                                   float[] gradient) {
        double sum = 0;
        for (int b = 0; b < batch; b++) {
            int label = labels[b];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " of sample " + b + " is not in [0, "
                        + classes + ")");
            }
            int row = b * classes;
            double logZ = logSumExp(logits, row, classes);
            double w = weights == null ? 1.0 : weights[b];
            sum += w * (logZ - logits[row + label]);
            if (gradient != null) {
                for (int c = 0; c < classes; c++) {
                    double p = StrictMath.exp(logits[row + c] - logZ);
                    gradient[row + c] = (float) (w * (p - (c == label ? 1 : 0)) / batch);
                }
            }
        }
        return (float) (sum / batch);
    }

    /**
     * Cross-entropy against target distributions (batch×classes, each row normally summing to 1).
     */
    public static float withDistributions(float[] logits, int batch, int classes, float[] targets, float[] weights,
                                          float[] gradient) {
        double sum = 0;
        for (int b = 0; b < batch; b++) {
            int row = b * classes;
            double logZ = logSumExp(logits, row, classes);
            double w = weights == null ? 1.0 : weights[b];
            double loss = 0;
            double mass = 0;
            for (int c = 0; c < classes; c++) {
                double t = targets[row + c];
                loss -= t * (logits[row + c] - logZ);
                mass += t;
            }
            sum += w * loss;
            if (gradient != null) {
                for (int c = 0; c < classes; c++) {
                    double p = StrictMath.exp(logits[row + c] - logZ);
                    gradient[row + c] = (float) (w * (p * mass - targets[row + c]) / batch);
                }
            }
        }
        return (float) (sum / batch);
    }

    private static double logSumExp(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += StrictMath.exp(x[off + i] - max);
        }
        return max + StrictMath.log(s);
    }
}
