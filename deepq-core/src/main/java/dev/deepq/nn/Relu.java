package dev.deepq.nn;

/** {@code torch.nn.ReLU}: max(x, 0); the gradient at 0 is 0, as in PyTorch. */
public final class Relu extends PointwiseActivation {
    public Relu(int size) {
        super(size, Activation.RELU);
    }
}
