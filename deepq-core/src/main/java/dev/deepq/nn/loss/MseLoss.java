package dev.deepq.nn.loss;

/** Squared error, {@code torch.nn.functional.mse_loss(reduction='mean')}: mean of w·(p − t)². */
public final class MseLoss implements RegressionLoss {
    public static final MseLoss INSTANCE = new MseLoss();

    private MseLoss() {}

    @Override
    public float compute(float[] prediction, float[] target, float[] weights, int rows, int cols, float[] gradient) {
        int n = rows * cols;
        float norm = (float) (2.0 / n);
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            float w = weights == null ? 1f : weights[r];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                float d = prediction[i] - target[i];
                sum += (double) w * d * d;
                if (gradient != null) {
                    gradient[i] = d * norm * w;
                }
            }
        }
        return (float) (sum / n);
    }

    @Override
    public String toString() {
        return "mse";
    }
}
