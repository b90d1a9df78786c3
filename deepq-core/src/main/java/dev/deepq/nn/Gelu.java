package dev.deepq.nn;

/**
 * {@code torch.nn.GELU()} with PyTorch's default {@code approximate='none'}: the exact x·Φ(x) =
 * 0.5·x·(1 + erf(x/√2)), computed in double precision; not the tanh approximation.
 */
public final class Gelu extends Layer {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

    private float[] input;
    private float[] output;
    private float[] inputGradient;

    public Gelu(int size) {
        super(size, size);
    }

    @Override
    protected void allocate() {
        output = buffer(outputSize());
        inputGradient = buffer(inputSize());
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        this.input = input;
        int n = outputSize() * batch;
        for (int i = 0; i < n; i++) {
            double x = input[i];
            output[i] = (float) (0.5 * x * (1 + Erf.erf(x * SQRT_HALF)));
        }
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        if (!inputGradientNeeded) {
            return null;
        }
        int n = inputSize() * batch;
        for (int i = 0; i < n; i++) {
            double x = input[i];
            double cdf = 0.5 * (1 + Erf.erf(x * SQRT_HALF));
            double pdf = INV_SQRT_2PI * StrictMath.exp(-0.5 * x * x);
            inputGradient[i] = (float) (outputGradient[i] * (cdf + x * pdf));
        }
        return inputGradient;
    }
}
