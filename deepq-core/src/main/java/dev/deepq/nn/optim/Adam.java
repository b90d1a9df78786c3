package dev.deepq.nn.optim;

import dev.deepq.nn.Kernels;

/**
 * Adam and AdamW exactly as {@code torch.optim.Adam} / {@code torch.optim.AdamW} (PyTorch 1.13–2.x, no amsgrad):
 * <pre>
 *   t += 1
 *   AdamW: θ ← θ·(1 − lr·wd)            Adam: g ← g + wd·θ
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * Note that ε is added after the bias correction of √v, as PyTorch does (not ε̂ as in the paper's "efficient"
 * form). State: {@code exp_avg} (m), {@code exp_avg_sq} (v) and the step counter. The powers β^t are rounded
 * correctly, as PyTorch's Python float {@code beta ** step} (C's {@code pow}) gives them.
 */
public final class Adam extends BaseOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final Kernels kernels;
    private final float[] m;
    private final float[] v;

    /**
     * @param decoupledWeightDecay true for AdamW's decoupled decay, false for Adam's L2 term added to the gradient
     */
    public Adam(int size, double learningRate, double beta1, double beta2, double eps, double weightDecay,
                boolean decoupledWeightDecay, Kernels kernels) {
        super(size, learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam eps and weight decay must be non-negative, got " + eps
                    + " and " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupledWeightDecay;
        this.kernels = kernels;
        this.m = stateArray("exp_avg");
        this.v = stateArray("exp_avg_sq");
    }

    /** {@code torch.optim.Adam(params, lr)}: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Adam adam(int size, double learningRate) {
        return new Adam(size, learningRate, 0.9, 0.999, 1e-8, 0, false, Kernels.get());
    }

    /** {@code torch.optim.AdamW(params, lr, weight_decay=weightDecay)}: betas (0.9, 0.999), eps 1e-8. */
    public static Adam adamW(int size, double learningRate, double weightDecay) {
        return new Adam(size, learningRate, 0.9, 0.999, 1e-8, weightDecay, true, Kernels.get());
    }

    /**
     * base^exponent for 0 ≤ base &lt; 1 and exponent ≥ 0, rounded once from a double-double product (binary
     * powering with error-free fused-multiply-add products, relative error below 2^-95 before the final rounding):
     * correctly rounded except in cases too rare to meet. Not {@code StrictMath.pow}: FdLibm's Java port allocates
     * three small arrays per call (the optimizer's step then allocates unless the JIT happens to remove them), and is
     * off by one unit in the last place for about 10 % of β1 = 0.9 powers; neither is PyTorch.
     */
    static double power(double base, long exponent) {
        double rh = 1;
        double rl = 0;
        double bh = base;
        double bl = 0;
        long n = exponent;
        while (n > 0) {
            if ((n & 1) != 0) {
                double p = rh * bh;
                double e = Math.fma(rh, bh, -p) + (rh * bl + rl * bh);
                rh = p + e;
                rl = e - (rh - p);
            }
            n >>= 1;
            if (n > 0) {
                double p = bh * bh;
                double e = Math.fma(bh, bh, -p) + 2 * bh * bl;
                bh = p + e;
                bl = e - (bh - p);
            }
        }
        return rh + rl;
    }

    @Override
    public void step(float[] parameters, float[] gradients) {
        long steps = beginStep(parameters, gradients);
        int size = size();
        double learningRate = learningRate();
        if (decoupled && weightDecay != 0) {
            kernels.scale((float) (1 - learningRate * weightDecay), parameters, 0, size);
        }
        double biasCorrection1 = 1 - power(beta1, steps);
        double biasCorrection2 = 1 - power(beta2, steps);
        double stepSize = learningRate / biasCorrection1;
        kernels.adamUpdate(parameters, gradients, m, v, 0, size,
                (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2),
                (float) stepSize, (float) Math.sqrt(biasCorrection2), (float) eps,
                decoupled ? 0f : (float) weightDecay);
    }
}
