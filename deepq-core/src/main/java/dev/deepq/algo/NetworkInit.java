package dev.deepq.algo;

import dev.deepq.nn.LinearInit;

/** How an actor-critic agent initializes every Linear layer of its actor and critics. */
public enum NetworkInit {
    /** PyTorch's {@code nn.Linear} default (Stable-Baselines3, CleanRL). */
    PYTORCH(LinearInit.pytorchDefault()),
    /** Xavier-uniform weights with gain 1 and zero biases (REDQ's and DroQ's reference code, {@code weights_init_}). */
    XAVIER_UNIFORM(LinearInit.xavierUniform(1.0, 0.0));

    private final LinearInit linearInit;

    NetworkInit(LinearInit linearInit) {
        this.linearInit = linearInit;
    }

    public LinearInit linearInit() {
        return linearInit;
    }
}
