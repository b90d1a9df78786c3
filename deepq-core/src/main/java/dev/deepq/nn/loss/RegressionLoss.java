package dev.deepq.nn.loss;

/**
 * An element-wise regression loss with mean reduction and optional per-sample weights (importance-sampling
 * weights of prioritized replay), computing the loss and its gradient in one pass.
 */
public interface RegressionLoss {

    /**
     * The mean loss over {@code rows × cols} elements (row-major, one row per sample):
     * (1 / (rows·cols)) Σ_r Σ_c w[r]·ℓ(prediction[r, c] − target[r, c]), with w = 1 when {@code weights} is null.
     * Writes d loss / d prediction into {@code gradient} when it is not null.
     */
    float compute(float[] prediction, float[] target, float[] weights, int rows, int cols, float[] gradient);

    /** Unweighted mean over {@code n} elements. */
    default float compute(float[] prediction, float[] target, int n, float[] gradient) {
        return compute(prediction, target, null, n, 1, gradient);
    }
}
