package dev.deepq.nn.optim;

import dev.deepq.nn.Kernels;

/** Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_} does it. */
public final class GradientClipping {
    private GradientClipping() {}

    /** {@link #clipGlobalNorm(Kernels, float[], int, int, double)} on a whole array with the process kernels. */
    public static float clipGlobalNorm(float[] gradients, double maxNorm) {
        return clipGlobalNorm(Kernels.get(), gradients, 0, gradients.length, maxNorm);
    }

    /**
     * Scales {@code gradients[offset, offset+length)} so that their L2 norm is at most {@code maxNorm}:
     * clip_coef = maxNorm / (norm + 1e-6), applied when it is below 1. Returns the norm before clipping (NaN or
     * infinite norms are returned and scale the gradients as PyTorch's default {@code error_if_nonfinite=False}).
     */
    public static float clipGlobalNorm(Kernels kernels, float[] gradients, int offset, int length, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max gradient norm must be positive, got " + maxNorm);
        }
        float norm = (float) Math.sqrt(kernels.sumOfSquares(gradients, offset, length));
        float coef = (float) maxNorm / (norm + 1e-6f);
        if (coef < 1f || Float.isNaN(coef)) {
            kernels.scale(coef, gradients, offset, length);
        }
        return norm;
    }
}
