package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.List;

/**
 * {@code torch.nn.LayerNorm(size, eps=1e-5)} over each sample's features: y = (x − mean)/√(var + eps)·γ + β with
 * the biased variance, and (by default) learnable γ ({@code weight}, initially 1) and β ({@code bias}, initially 0).
 */
public final class LayerNorm extends Layer {
    private final double eps;
    private final boolean affine;
    private float[] parameters;
    private float[] gradients;
    private int gammaOffset;
    private int betaOffset;
    private float[] normalized;
    private float[] output;
    private float[] inputGradient;
    private float[] mean;
    private float[] rstd;
    private float[] sumGrad;
    private float[] sumGradNormalized;

    /** PyTorch's defaults: eps 1e-5, elementwise affine. */
    public LayerNorm(int size) {
        this(size, 1e-5, true);
    }

    public LayerNorm(int size, double eps, boolean affine) {
        super(size, size);
        if (!(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm eps must be positive, got " + eps);
        }
        this.eps = eps;
        this.affine = affine;
    }

    @Override
    public int parameterCount() {
        return affine ? 2 * inputSize() : 0;
    }

    @Override
    protected void allocate() {
        normalized = buffer(inputSize());
        output = affine ? buffer(inputSize()) : normalized;
        inputGradient = buffer(inputSize());
        mean = buffer(1);
        rstd = buffer(1);
        sumGrad = buffer(1);
        sumGradNormalized = buffer(1);
    }

    @Override
    protected void bind(float[] parameters, float[] gradients, int offset) {
        this.parameters = parameters;
        this.gradients = gradients;
        this.gammaOffset = offset;
        this.betaOffset = offset + inputSize();
    }

    @Override
    protected void describe(String prefix, int offset, List<ParameterView> out) {
        if (affine) {
            out.add(new ParameterView(join(prefix, "weight"), offset, inputSize()));
            out.add(new ParameterView(join(prefix, "bias"), offset + inputSize(), inputSize()));
        }
    }

    @Override
    protected void initialize(Rng rng) {
        if (affine) {
            Init.constant(parameters, gammaOffset, inputSize(), 1f);
            Init.constant(parameters, betaOffset, inputSize(), 0f);
        }
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        int n = inputSize();
        // Feature-major data: the loops run along the batch, so all samples' statistics advance together.
        java.util.Arrays.fill(mean, 0, batch, 0f);
        java.util.Arrays.fill(rstd, 0, batch, 0f);
        for (int f = 0; f < n; f++) {
            int row = f * batch;
            for (int b = 0; b < batch; b++) {
                mean[b] += input[row + b];
            }
        }
        float invN = 1f / n;
        for (int b = 0; b < batch; b++) {
            mean[b] *= invN;
        }
        for (int f = 0; f < n; f++) {
            int row = f * batch;
            for (int b = 0; b < batch; b++) {
                float d = input[row + b] - mean[b];
                rstd[b] += d * d;
            }
        }
        for (int b = 0; b < batch; b++) {
            rstd[b] = (float) (1.0 / Math.sqrt(rstd[b] * invN + eps));
        }
        for (int f = 0; f < n; f++) {
            int row = f * batch;
            for (int b = 0; b < batch; b++) {
                normalized[row + b] = (input[row + b] - mean[b]) * rstd[b];
            }
            if (affine) {
                float gamma = parameters[gammaOffset + f];
                float beta = parameters[betaOffset + f];
                for (int b = 0; b < batch; b++) {
                    output[row + b] = normalized[row + b] * gamma + beta;
                }
            }
        }
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        int n = inputSize();
        java.util.Arrays.fill(sumGrad, 0, batch, 0f);
        java.util.Arrays.fill(sumGradNormalized, 0, batch, 0f);
        for (int f = 0; f < n; f++) {
            int row = f * batch;
            float gamma = affine ? parameters[gammaOffset + f] : 1f;
            float dGamma = 0f;
            float dBeta = 0f;
            for (int b = 0; b < batch; b++) {
                float dy = outputGradient[row + b];
                float xhat = normalized[row + b];
                dGamma += dy * xhat;
                dBeta += dy;
                float g = dy * gamma;
                sumGrad[b] += g;
                sumGradNormalized[b] += g * xhat;
            }
            if (affine && parameterGradientsNeeded) {
                gradients[gammaOffset + f] += dGamma;
                gradients[betaOffset + f] += dBeta;
            }
        }
        if (!inputGradientNeeded) {
            return null;
        }
        // dx = rstd·(g − mean_f(g) − x̂·mean_f(g·x̂)) with g = dy·γ.
        float invN = 1f / n;
        for (int f = 0; f < n; f++) {
            int row = f * batch;
            float gamma = affine ? parameters[gammaOffset + f] : 1f;
            for (int b = 0; b < batch; b++) {
                float g = outputGradient[row + b] * gamma;
                inputGradient[row + b] = rstd[b]
                        * (g - sumGrad[b] * invN - normalized[row + b] * (sumGradNormalized[b] * invN));
            }
        }
        return inputGradient;
    }
}
