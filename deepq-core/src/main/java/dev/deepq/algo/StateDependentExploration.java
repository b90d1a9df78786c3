package dev.deepq.algo;

import dev.deepq.io.SafeTensors;
import dev.deepq.nn.Activation;
import dev.deepq.nn.Linear;
import dev.deepq.nn.LinearInit;
import dev.deepq.nn.Network;
import dev.deepq.nn.optim.Adam;
import dev.deepq.random.Gaussian;
import dev.deepq.random.Rng;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;

/**
 * Generalized state-dependent exploration (gSDE; Raffin, Kober and Stulp 2021, "Smooth Exploration for Robotic
 * Reinforcement Learning") for SAC's squashed Gaussian policy, as Stable-Baselines3's
 * {@code StateDependentNoiseDistribution} with {@code squash_output} and {@code learn_features}. The actor's torso
 * ends in h features z(s); a Linear head gives the mean, and the noise is linear in the same features, with a weight
 * matrix W drawn from N(0, sigma^2) and held fixed between draws; sigma is a learned h × |A| parameter (h × 1, shared
 * by the action dimensions, without {@code full_std}):
 * <pre>
 *   mean(s) = clip(head(z(s)), -clip_mean, clip_mean)           (Hardtanh; clip_mean 0 turns the clip off)
 *   u       = mean(s) + z(s) W,    W_ji = sigma_ji eps_ji, eps ~ N(0, 1)
 *   a       = tanh(u)
 *   s_i^2   = sum_j z_j^2 sigma_ji^2 + 1e-6                     (the variance of u_i given z, over W)
 *   x       = atanh(clamp(a, -1 + 2^-23, 1 - 2^-23))            (Stable-Baselines3 re-inverts the squashed action)
 *   log pi  = sum_i [ log N(x_i; mean_i, s_i^2) - log(1 - tanh(x_i)^2 + 1e-6) ]
 *   sigma   = exp(log_std), or with use_expln exp(log_std) for log_std <= 0 and log1p(log_std + 1e-6) + 1 above
 * </pre>
 * Acting, each env has its own W, drawn afresh when a training round ends (Stable-Baselines3 draws it at the start
 * of every rollout) and every {@code sde_sample_frequency} steps when that is positive: within an episode the noise
 * is then a smooth function of the state instead of white noise, which on MountainCarContinuous averages out before
 * the car gets anywhere. Training, one W per gradient step is shared by the whole batch, for both a' ~ pi(s') and
 * a~ ~ pi(s) (Stable-Baselines3's {@code reset_noise()} at the top of each gradient step). The actor loss reaches the
 * head, the features z (through the mean, the noise and the variance) and log_std (through W = sigma eps and the
 * variance) by the reparameterization; {@link #backward} writes those gradients.
 *
 * <p>Owns the mean head and log_std with their Adam optimizers; the torso is the agent's actor network.
 */
final class StateDependentExploration {
    /** Stable-Baselines3's epsilon inside the variance's square root and inside the tanh correction's log. */
    private static final double EPSILON = 1e-6;
    /** {@code th.finfo(float32).eps}: how close to ±1 Stable-Baselines3 lets a squashed action be before atanh. */
    private static final double FLOAT_EPS = Math.ulp(1.0f);
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private final int latentSize;
    private final int actSize;
    private final boolean fullStd;
    private final boolean expln;
    private final double clipMean;
    private final Network head;
    private final Adam headOptimizer;
    /** log sigma: h × |A| row-major (feature j, action i at j * |A| + i), or h × 1. */
    private final float[] logStd;
    private final float[] logStdGradient;
    private final Adam logStdOptimizer;

    /** sigma expanded to h × |A|, and sigma's derivative by log_std, as of the last {@link #refreshStd}. */
    private final double[] std;
    private final double[] stdSlope;
    /** The training draw: eps and W = sigma eps, h × |A|. */
    private final float[] trainingEps;
    private final float[] trainingWeights;
    /** One W per env for acting, numEnvs × h × |A|. */
    private final float[] actingWeights;

    // The last training sample, batch-major, kept for the backward pass.
    private final float[] latent;
    private final float[] mean;
    private final boolean[] meanClipped;
    private final float[] squashed;
    private final double[] gaussian;
    private final boolean[] gaussianClamped;
    private final double[] variance;
    private int lastBatch;

    // Backward work arrays.
    private final float[] headGradient;
    private final float[] latentGradient;
    private final double[] weightsGradient;
    private final double[] varianceWeightsGradient;

    StateDependentExploration(int latentSize, int actSize, SacConfig config, LinearInit init, int maxBatch,
                              int numEnvs, double learningRate, double adamEps) {
        this.latentSize = latentSize;
        this.actSize = actSize;
        fullStd = config.fullStd();
        expln = config.useExpln();
        clipMean = config.clipMean();
        head = Network.create(new Linear(latentSize, actSize, Activation.IDENTITY, true, init), maxBatch)
                .enableInputGradient();
        headOptimizer = new Adam(head.parameterCount(), learningRate, 0.9, 0.999, adamEps, 0, false, head.kernels());
        logStd = new float[latentSize * (fullStd ? actSize : 1)];
        Arrays.fill(logStd, (float) config.logStdInit());
        logStdGradient = new float[logStd.length];
        logStdOptimizer = new Adam(logStd.length, learningRate, 0.9, 0.999, adamEps, 0, false, head.kernels());
        int weights = latentSize * actSize;
        std = new double[weights];
        stdSlope = new double[weights];
        trainingEps = new float[weights];
        trainingWeights = new float[weights];
        actingWeights = new float[numEnvs * weights];
        latent = new float[maxBatch * latentSize];
        mean = new float[maxBatch * actSize];
        meanClipped = new boolean[maxBatch * actSize];
        squashed = new float[maxBatch * actSize];
        gaussian = new double[maxBatch * actSize];
        gaussianClamped = new boolean[maxBatch * actSize];
        variance = new double[maxBatch * actSize];
        headGradient = new float[maxBatch * actSize];
        latentGradient = new float[maxBatch * latentSize];
        weightsGradient = new double[weights];
        varianceWeightsGradient = new double[weights];
        refreshStd();
    }

    /** Initializes the head, drawing from {@code rng} (after the torso, as PyTorch builds the actor). */
    void initialize(Rng rng) {
        head.initialize(rng);
    }

    private void refreshStd() {
        for (int j = 0; j < latentSize; j++) {
            for (int i = 0; i < actSize; i++) {
                double l = logStd[fullStd ? j * actSize + i : j];
                if (expln && l > 0) {
                    std[j * actSize + i] = Math.log1p(l + EPSILON) + 1;
                    stdSlope[j * actSize + i] = 1 / (1 + l + EPSILON);
                } else {
                    std[j * actSize + i] = Math.exp(l);
                    stdSlope[j * actSize + i] = std[j * actSize + i];
                }
            }
        }
    }

    // ---- noise draws ----

    /** Draws the eps of the W = sigma eps every sample of the coming gradient step uses. */
    void resampleTraining(Rng rng) {
        Gaussian.fill(rng, trainingEps, 0, trainingEps.length);
    }

    /** Draws a fresh W for every env's acting, from the current sigma. */
    void resampleActing(Rng rng) {
        refreshStd();
        Gaussian.fill(rng, actingWeights, 0, actingWeights.length);
        for (int k = 0; k < actingWeights.length; k++) {
            actingWeights[k] = (float) (std[k % std.length] * actingWeights[k]);
        }
    }

    // ---- acting ----

    /** Exploration actions in (-1, 1) for {@code n} envs' features (n × h): tanh(mean + z W_env). */
    void act(float[] features, int n, double[] unitActions) {
        float[] m = meanOf(features, n);
        for (int e = 0; e < n; e++) {
            int w = e * latentSize * actSize;
            for (int i = 0; i < actSize; i++) {
                double u = m[e * actSize + i];
                for (int j = 0; j < latentSize; j++) {
                    u += features[e * latentSize + j] * (double) actingWeights[w + j * actSize + i];
                }
                unitActions[e * actSize + i] = Math.tanh(u);
            }
        }
    }

    /** The deterministic action in (-1, 1) for one observation's features: tanh(mean). */
    void predict(float[] features, double[] unitActions) {
        float[] m = meanOf(features, 1);
        for (int i = 0; i < actSize; i++) {
            unitActions[i] = Math.tanh(m[i]);
        }
    }

    /** The clipped mean for {@code n} rows of features, in {@link #mean}; remembers where the clip was active. */
    private float[] meanOf(float[] features, int n) {
        float[] raw = head.forward(features, 0, n);
        for (int k = 0; k < n * actSize; k++) {
            float v = raw[k];
            boolean clipped = clipMean > 0 && (v <= -clipMean || v >= clipMean);
            meanClipped[k] = clipped;
            mean[k] = clipped ? (float) Math.copySign(clipMean, v) : v;
        }
        return mean;
    }

    // ---- training ----

    /**
     * The policy sample for {@code b} rows of features (b × h) with the training W: writes tanh(u) to
     * {@code squashedOut} (b × |A|) and the summed log-probabilities to {@code logProbOut}. The backward pass applies
     * to the last call.
     */
    void sample(float[] features, int b, float[] squashedOut, float[] logProbOut) {
        // W from the current sigma (the same within a gradient step, since log_std only moves at its end).
        refreshStd();
        for (int k = 0; k < trainingEps.length; k++) {
            trainingWeights[k] = (float) (std[k] * trainingEps[k]);
        }
        System.arraycopy(features, 0, latent, 0, b * latentSize);
        float[] m = meanOf(latent, b);
        for (int r = 0; r < b; r++) {
            double logProb = 0;
            for (int i = 0; i < actSize; i++) {
                int k = r * actSize + i;
                double u = m[k];
                double var = EPSILON;
                for (int j = 0; j < latentSize; j++) {
                    double z = latent[r * latentSize + j];
                    u += z * trainingWeights[j * actSize + i];
                    double s = std[j * actSize + i];
                    var += z * z * s * s;
                }
                double a = Math.tanh(u);
                double limit = 1 - FLOAT_EPS;
                boolean clamped = Math.abs(a) > limit;
                double c = clamped ? Math.copySign(limit, a) : a;
                double x = 0.5 * (Math.log1p(c) - Math.log1p(-c));
                squashed[k] = (float) a;
                squashedOut[k] = (float) a;
                gaussian[k] = x;
                gaussianClamped[k] = clamped;
                variance[k] = var;
                double d = x - m[k];
                logProb += -0.5 * d * d / var - 0.5 * Math.log(var) - HALF_LOG_TWO_PI - Math.log(1 - c * c + EPSILON);
            }
            logProbOut[r] = (float) logProb;
        }
        lastBatch = b;
    }

    /**
     * Back-propagates a loss through the last {@link #sample}: {@code actionGradient} is d loss / d a (b × |A|) and
     * {@code logProbGradient} d loss / d log pi, the same for every row. Adds the head's and log_std's parameter
     * gradients (zero them first with {@link #zeroGradients}) and returns d loss / d z (b × h) for the torso.
     */
    float[] backward(float[] actionGradient, double logProbGradient, int b) {
        if (b != lastBatch) {
            throw new IllegalStateException("backward for a batch of " + b + " after a sample of " + lastBatch);
        }
        Arrays.fill(weightsGradient, 0);
        Arrays.fill(varianceWeightsGradient, 0);
        Arrays.fill(latentGradient, 0, b * latentSize, 0f);
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < actSize; i++) {
                int k = r * actSize + i;
                double a = squashed[k];
                double x = gaussian[k];
                double var = variance[k];
                double d = x - mean[k];
                double c = Math.tanh(x);
                // d log pi / d x: the Gaussian's and the tanh correction's; x follows u one for one unless clamped.
                double dLogProbDx = -d / var + 2 * c * (1 - c * c) / (1 - c * c + EPSILON);
                double dLossDu = actionGradient[k] * (1 - a * a)
                        + (gaussianClamped[k] ? 0 : logProbGradient * dLogProbDx);
                double dLossDmean = dLossDu + logProbGradient * d / var;
                headGradient[k] = meanClipped[k] ? 0f : (float) dLossDmean;
                double dLossDvar = logProbGradient * (d * d / var - 1) / (2 * var);
                for (int j = 0; j < latentSize; j++) {
                    int w = j * actSize + i;
                    double z = latent[r * latentSize + j];
                    double s = std[w];
                    latentGradient[r * latentSize + j] += (float) (dLossDu * trainingWeights[w]
                            + dLossDvar * 2 * z * s * s);
                    weightsGradient[w] += z * dLossDu;
                    varianceWeightsGradient[w] += z * z * dLossDvar;
                }
            }
        }
        head.backward(headGradient);
        float[] viaMean = head.inputGradient();
        for (int k = 0; k < b * latentSize; k++) {
            latentGradient[k] += viaMean[k];
        }
        // W = sigma eps and s^2 = z^2 sigma^2: d/d sigma = dW eps + d(sigma^2) 2 sigma; then sigma's own slope.
        for (int w = 0; w < weightsGradient.length; w++) {
            double dStd = weightsGradient[w] * trainingEps[w] + varianceWeightsGradient[w] * 2 * std[w];
            logStdGradient[fullStd ? w : w / actSize] += (float) (dStd * stdSlope[w]);
        }
        return latentGradient;
    }

    void zeroGradients() {
        head.zeroGradients();
        Arrays.fill(logStdGradient, 0f);
    }

    /** One Adam step of the head and of log_std on their gradients. */
    void step() {
        headOptimizer.step(head.parameters(), head.gradients());
        logStdOptimizer.step(logStd, logStdGradient);
    }

    void setLearningRate(double learningRate) {
        headOptimizer.setLearningRate(learningRate);
        logStdOptimizer.setLearningRate(learningRate);
    }

    Network head() {
        return head;
    }

    float[] logStd() {
        return logStd;
    }

    /** Every env's acting noise weights, numEnvs × h × |A| (live array). */
    float[] actingWeights() {
        return actingWeights;
    }

    float[] logStdGradient() {
        return logStdGradient;
    }

    private int[] logStdShape() {
        return new int[] {latentSize, fullStd ? actSize : 1};
    }

    // ---- checkpoints and model files ----

    void saveState(StateWriter out) {
        AgentState.saveNetwork(out.scope("head"), head);
        out.putFloats("log_std", logStd, 0, logStd.length, logStdShape());
        AgentState.saveAdam(out.scope("head_optimizer"), headOptimizer);
        AgentState.saveAdam(out.scope("log_std_optimizer"), logStdOptimizer);
        out.putFloats("acting_weights", actingWeights);
    }

    void restoreState(StateReader in) {
        AgentState.restoreNetwork(in.scope("head"), head);
        in.readFloats("log_std", logStd, 0, logStd.length, logStdShape());
        AgentState.restoreAdam(in.scope("head_optimizer"), headOptimizer);
        AgentState.restoreAdam(in.scope("log_std_optimizer"), logStdOptimizer);
        in.readFloats("acting_weights", actingWeights);
        refreshStd();
    }

    /** Adds {@code actor.mu.*} and {@code actor.log_std} (Stable-Baselines3's names for the gSDE actor). */
    void putTensors(SafeTensors.Builder file) {
        ModelFiles.putNetwork(file, "actor.mu.", head);
        file.put("actor.log_std", logStd, logStdShape());
    }

    void readTensors(SafeTensors file) {
        ModelFiles.readNetwork(file, "actor.mu.", head);
        file.readFloats("actor.log_std", logStd, 0, logStdShape());
        refreshStd();
    }
}
