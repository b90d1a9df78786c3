package dev.deepq.nn.optim;

/**
 * RMSProp exactly as {@code torch.optim.RMSprop}:
 * <pre>
 *   g ← g + wd·θ
 *   s ← α·s + (1 − α)·g²
 *   centered: ḡ ← α·ḡ + (1 − α)·g;  d = √(s − ḡ²) + ε      otherwise: d = √s + ε
 *   momentum &gt; 0: b ← μ·b + g/d;  θ ← θ − lr·b              otherwise: θ ← θ − lr·g/d
 * </pre>
 * PyTorch's defaults are α 0.99, ε 1e-8 (note: ε outside the square root, unlike TensorFlow's and the DQN
 * paper's RMSProp). State: {@code square_avg}, {@code momentum_buffer}, {@code grad_avg} (the last two only when
 * used). Plain loops over separate arrays at one index, which C2 vectorizes by itself.
 */
public final class RmsProp extends BaseOptimizer {
    private final float alpha;
    private final float oneMinusAlpha;
    private final float eps;
    private final float weightDecay;
    private final float momentum;
    private final boolean centered;
    private final float[] squareAvg;
    private final float[] momentumBuffer;
    private final float[] gradAvg;

    /** PyTorch's defaults: alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered. */
    public RmsProp(int size, double learningRate) {
        this(size, learningRate, 0.99, 1e-8, 0, 0, false);
    }

    public RmsProp(int size, double learningRate, double alpha, double eps, double weightDecay, double momentum,
                   boolean centered) {
        super(size, learningRate);
        if (!(alpha >= 0 && alpha <= 1) || !(eps >= 0) || !(weightDecay >= 0) || !(momentum >= 0)) {
            throw new IllegalArgumentException("RMSProp needs alpha in [0, 1] and non-negative eps, weight decay"
                    + " and momentum; got alpha " + alpha + ", eps " + eps + ", weight decay " + weightDecay
                    + ", momentum " + momentum);
        }
        this.alpha = (float) alpha;
        this.oneMinusAlpha = (float) (1 - alpha);
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.momentum = (float) momentum;
        this.centered = centered;
        this.squareAvg = stateArray("square_avg");
        this.momentumBuffer = momentum > 0 ? stateArray("momentum_buffer") : null;
        this.gradAvg = centered ? stateArray("grad_avg") : null;
    }

    @Override
    public void step(float[] parameters, float[] gradients) {
        beginStep(parameters, gradients);
        int size = size();
        float negLr = (float) -learningRate();
        for (int i = 0; i < size; i++) {
            float p = parameters[i];
            float g = gradients[i] + weightDecay * p;
            float s = alpha * squareAvg[i] + oneMinusAlpha * g * g;
            squareAvg[i] = s;
            float avg;
            if (centered) {
                float ga = alpha * gradAvg[i] + oneMinusAlpha * g;
                gradAvg[i] = ga;
                avg = (float) Math.sqrt(s + -1f * ga * ga) + eps;
            } else {
                avg = (float) Math.sqrt(s) + eps;
            }
            if (momentumBuffer != null) {
                float b = momentum * momentumBuffer[i] + g / avg;
                momentumBuffer[i] = b;
                parameters[i] = p + negLr * b;
            } else {
                parameters[i] = p + negLr * (g / avg);
            }
        }
    }
}
