package dev.deepq.algo;

/**
 * The tanh-squashed Gaussian policy of SAC (Haarnoja et al. 2018, appendix C), one action dimension at a time.
 * The policy network outputs a mean and a raw log-std; the pre-squash sample is {@code u = mean + exp(logStd) * eps}
 * with {@code eps ~ N(0, 1)} (reparameterization) and the action is {@code a = tanh(u)} in (-1, 1).
 *
 * <p>Its log-density is the Gaussian's minus the log-Jacobian of tanh:
 * <pre>
 *   log pi(a) = -eps^2 / 2 - logStd - log(2 pi) / 2 - log(1 - tanh(u)^2)
 *   log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u))        (exact; no epsilon needed, finite for any u)
 * </pre>
 * This is the numerically stable form (TensorFlow Probability's tanh bijector, Spinning Up's SAC); the common
 * {@code log(1 - tanh(u)^2 + 1e-6)} is biased when |u| is large. The density is of the action in (-1, 1); the
 * rescaling to the env's bounds is a constant shift left out (as Stable-Baselines3 does).
 *
 * <p>With eps held fixed, the derivatives the actor update needs are
 * <pre>
 *   d log pi / d mean   = 2 tanh(u)
 *   d log pi / d logStd = -1 + 2 tanh(u) * exp(logStd) * eps
 *   d a / d mean        = 1 - tanh(u)^2
 *   d a / d logStd      = (1 - tanh(u)^2) * exp(logStd) * eps
 * </pre>
 * The raw log-std output is bounded either by clamping (Stable-Baselines3, [-20, 2]) or smoothly by
 * {@code min + (max - min) (tanh(raw) + 1) / 2} (CleanRL, [-5, 2]); {@link #logStd} and {@link #logStdSlope} give
 * the bounded value and its derivative.
 */
public final class SquashedGaussian {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    private static final double LOG_TWO = Math.log(2);

    private SquashedGaussian() {}

    /** The bounded log-std for a raw network output. */
    public static double logStd(double raw, double min, double max, boolean smooth) {
        if (smooth) {
            return min + 0.5 * (max - min) * (Math.tanh(raw) + 1);
        }
        return Math.min(max, Math.max(min, raw));
    }

    /** d logStd / d raw (0 where a clamp is active, as PyTorch's clamp gradient). */
    public static double logStdSlope(double raw, double min, double max, boolean smooth) {
        if (smooth) {
            double t = Math.tanh(raw);
            return 0.5 * (max - min) * (1 - t * t);
        }
        return raw >= min && raw <= max ? 1 : 0;
    }

    /** {@code log(1 + exp(x))} without overflow. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** {@code log(1 - tanh(u)^2)}, exactly and stably. */
    public static double logOneMinusTanhSquared(double u) {
        return 2 * (LOG_TWO - u - softplus(-2 * u));
    }

    /** One dimension's log-density of {@code a = tanh(mean + exp(logStd) eps)}. */
    public static double logProb(double logStd, double eps, double u) {
        return -0.5 * eps * eps - logStd - HALF_LOG_TWO_PI - logOneMinusTanhSquared(u);
    }
}
