package dev.deepq.nn;

/** {@code torch.nn.ELU(alpha)}: x for x &gt; 0, alpha·(eˣ − 1) otherwise. */
public final class Elu extends Layer {
    private final double alpha;
    private float[] input;
    private float[] output;
    private float[] inputGradient;

    /** PyTorch's default, alpha = 1. */
    public Elu(int size) {
        this(size, 1.0);
    }

    public Elu(int size, double alpha) {
        super(size, size);
        this.alpha = alpha;
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
            float x = input[i];
            output[i] = x > 0f ? x : (float) (alpha * StrictMath.expm1(x));
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
            float x = input[i];
            float dy = outputGradient[i];
            inputGradient[i] = x > 0f ? dy : (float) (dy * alpha * StrictMath.exp(x));
        }
        return inputGradient;
    }
}
