package dev.deepq.nn.loss;

/**
 * The Huber loss and its rescaled twin, smooth L1, with mean reduction:
 * <ul>
 *   <li>{@link #huber(double)} is {@code torch.nn.functional.huber_loss(delta)}: ½d² for |d| &lt; δ, else
 *       δ(|d| − ½δ);</li>
 *   <li>{@link #smoothL1(double)} is {@code torch.nn.functional.smooth_l1_loss(beta)} (what Stable-Baselines3's
 *       DQN uses, beta 1): ½d²/β for |d| &lt; β, else |d| − ½β, i.e. the Huber loss with δ = β divided by β.</li>
 * </ul>
 * With δ = β = 1 the two are the same.
 */
public final class HuberLoss implements RegressionLoss {
    private final double delta;
    private final double scale;
    private final String name;

    private HuberLoss(double delta, double scale, String name) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException(name + " threshold must be positive and finite, got " + delta);
        }
        this.delta = delta;
        this.scale = scale;
        this.name = name;
    }

    public static HuberLoss huber(double delta) {
        return new HuberLoss(delta, 1.0, "huber");
    }

    public static HuberLoss smoothL1(double beta) {
        return new HuberLoss(beta, 1.0 / beta, "smooth_l1");
    }

    /** The threshold between the quadratic and the linear part (δ, or β for smooth L1). */
    public double delta() {
        return delta;
    }

    @Override
    public float compute(float[] prediction, float[] target, float[] weights, int rows, int cols, float[] gradient) {
        int n = rows * cols;
        float d = (float) delta;
        float norm = (float) (scale / n);
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            float w = weights == null ? 1f : weights[r];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                float x = prediction[i] - target[i];
                float ax = Math.abs(x);
                double loss = ax < d ? 0.5 * x * x : delta * (ax - 0.5 * delta);
                sum += w * loss;
                if (gradient != null) {
                    float slope = ax < d ? x : Math.copySign(d, x);
                    gradient[i] = slope * norm * w;
                }
            }
        }
        return (float) (sum * scale / n);
    }

    @Override
    public String toString() {
        return name + "(" + delta + ")";
    }
}
