package dev.deepq.nn;

/**
 * Element-wise nonlinearities. {@link #IDENTITY}, {@link #RELU} and {@link #TANH} can be fused into a
 * {@link Linear} layer and are implemented by the {@link Kernels}; {@link #ELU} and {@link #GELU} run as their own
 * layers ({@link Elu}, {@link Gelu}).
 */
public enum Activation {
    IDENTITY(true),
    RELU(true),
    TANH(true),
    /** {@code torch.nn.ELU()} with alpha 1. */
    ELU(false),
    /** {@code torch.nn.GELU()}, PyTorch's default exact form x·Φ(x) (with erf, not the tanh approximation). */
    GELU(false);

    private final boolean fusable;

    Activation(boolean fusable) {
        this.fusable = fusable;
    }

    /** Whether the kernels apply this activation themselves (fused with a bias add or a matrix product). */
    public boolean fusable() {
        return fusable;
    }
}
