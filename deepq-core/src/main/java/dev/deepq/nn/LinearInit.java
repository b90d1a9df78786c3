package dev.deepq.nn;

import dev.deepq.random.Rng;

/** How a {@link Linear} layer's weight and bias start. */
public sealed interface LinearInit {

    /**
     * PyTorch's {@code nn.Linear} default: weights from kaiming_uniform with a = √5, which is U(−1/√in, 1/√in),
     * and biases from the same U(−1/√in, 1/√in).
     */
    static LinearInit pytorchDefault() {
        return PyTorchDefault.INSTANCE;
    }

    /** {@code torch.nn.init.orthogonal_(weight, gain)} with every bias set to {@code bias} (CleanRL's layer_init). */
    static LinearInit orthogonal(double gain, double bias) {
        return new Orthogonal(gain, bias);
    }

    /**
     * {@code torch.nn.init.xavier_uniform_(weight, gain)} with every bias set to {@code bias} (REDQ's and DroQ's
     * {@code weights_init_}: gain 1, bias 0).
     */
    static LinearInit xavierUniform(double gain, double bias) {
        return new XavierUniform(gain, bias);
    }

    /**
     * Sparse initialization of Elsayed et al. (2024), "Streaming Deep Reinforcement Learning Finally Works":
     * weights U(−1/√in, 1/√in), then in every output row ⌈sparsity·in⌉ randomly chosen weights set to zero;
     * biases zero. The paper uses sparsity 0.9.
     */
    static LinearInit sparse(double sparsity) {
        return new Sparse(sparsity);
    }

    record PyTorchDefault() implements LinearInit {
        static final PyTorchDefault INSTANCE = new PyTorchDefault();
    }

    record Orthogonal(double gain, double bias) implements LinearInit {}

    record XavierUniform(double gain, double bias) implements LinearInit {}

    record Sparse(double sparsity) implements LinearInit {
        public Sparse {
            if (!(sparsity >= 0 && sparsity <= 1)) {
                throw new IllegalArgumentException("sparsity must be in [0, 1], got " + sparsity);
            }
        }
    }

    /**
     * Initializes one dense layer's weight (rows x cols at {@code weightOffset}) and, when {@code hasBias}, its bias
     * (rows at {@code biasOffset}) in {@code parameters} the way this scheme says, drawing from {@code rng}.
     */
    default void apply(float[] parameters, int weightOffset, int rows, int cols, boolean hasBias, int biasOffset,
                       Rng rng) {
        switch (this) {
            case PyTorchDefault d -> Init.pytorchLinear(parameters, weightOffset, rows, cols,
                    hasBias ? parameters : null, biasOffset, rng);
            case Orthogonal o -> {
                Init.orthogonal(parameters, weightOffset, rows, cols, o.gain(), rng);
                if (hasBias) {
                    Init.constant(parameters, biasOffset, rows, (float) o.bias());
                }
            }
            case XavierUniform x -> {
                Init.xavierUniform(parameters, weightOffset, rows, cols, x.gain(), rng);
                if (hasBias) {
                    Init.constant(parameters, biasOffset, rows, (float) x.bias());
                }
            }
            case Sparse s -> {
                Init.sparse(parameters, weightOffset, rows, cols, s.sparsity(), rng);
                if (hasBias) {
                    Init.constant(parameters, biasOffset, rows, 0f);
                }
            }
        }
    }
}
