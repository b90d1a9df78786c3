package dev.deepq.nn;

/** A parameterless element-wise activation computed by the kernels (ReLU, tanh). */
abstract class PointwiseActivation extends Layer {
    private final Activation activation;
    private float[] output;
    private float[] inputGradient;

    PointwiseActivation(int size, Activation activation) {
        super(size, size);
        this.activation = activation;
    }

    @Override
    protected void allocate() {
        output = buffer(outputSize());
        inputGradient = buffer(inputSize());
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        kernels.activation(activation, input, 0, output, 0, outputSize() * batch);
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        if (!inputGradientNeeded) {
            return null;
        }
        kernels.activationBackward(activation, output, 0, outputGradient, 0, inputGradient, 0, inputSize() * batch);
        return inputGradient;
    }
}
