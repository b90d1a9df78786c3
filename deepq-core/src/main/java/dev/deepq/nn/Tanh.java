package dev.deepq.nn;

/** {@code torch.nn.Tanh}. */
public final class Tanh extends PointwiseActivation {
    public Tanh(int size) {
        super(size, Activation.TANH);
    }
}
