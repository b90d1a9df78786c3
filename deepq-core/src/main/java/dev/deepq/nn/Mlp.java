package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds multilayer perceptrons. Each hidden layer is Linear → [LayerNorm] → activation → [Dropout], and the
 * network ends with a plain Linear output layer (or a dueling / multi-head output). Parameter names are the ones
 * the equivalent {@code torch.nn.Sequential} has: {@code Mlp.builder(4).hidden(64, 64).output(2)} gives
 * {@code 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias}, as {@code Sequential(Linear, ReLU, Linear, ReLU,
 * Linear)} does, even though each ReLU runs fused inside the Linear before it.
 *
 * <pre>{@code
 * Network q = Network.create(Mlp.builder(4).hidden(120, 84).output(2), 128).initialize(Rng.seeded(1));
 * }</pre>
 */
public final class Mlp {
    private Mlp() {}

    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    /** A fluent MLP description; each {@code build*} call returns new layers. */
    public static final class Builder {
        private final int inputSize;
        private int[] hidden = new int[0];
        private Activation activation = Activation.RELU;
        private boolean layerNorm;
        private double dropout;
        private Rng dropoutRng;
        private LinearInit init = LinearInit.pytorchDefault();
        private LinearInit outputInit;

        private Builder(int inputSize) {
            if (inputSize <= 0) {
                throw new IllegalArgumentException("input size must be positive, got " + inputSize);
            }
            this.inputSize = inputSize;
        }

        /** Hidden layer widths, first to last. */
        public Builder hidden(int... sizes) {
            for (int s : sizes) {
                if (s <= 0) {
                    throw new IllegalArgumentException("hidden layer sizes must be positive, got " + s);
                }
            }
            this.hidden = sizes.clone();
            return this;
        }

        /** The hidden activation (default ReLU). */
        public Builder activation(Activation activation) {
            if (activation == Activation.IDENTITY) {
                throw new IllegalArgumentException("an MLP needs a nonlinear hidden activation");
            }
            this.activation = activation;
            return this;
        }

        /** Whether each hidden Linear is followed by a LayerNorm (before the activation). */
        public Builder layerNorm(boolean enabled) {
            this.layerNorm = enabled;
            return this;
        }

        /** Dropout with probability p after each hidden activation, masks drawn from {@code rng}. */
        public Builder dropout(double p, Rng rng) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
            }
            this.dropout = p;
            this.dropoutRng = rng;
            return this;
        }

        /** Initialization of every Linear layer (default PyTorch's). */
        public Builder init(LinearInit init) {
            this.init = init;
            return this;
        }

        /** Initialization of the output layer(s) only (default: the same as {@link #init}). */
        public Builder outputInit(LinearInit init) {
            this.outputInit = init;
            return this;
        }

        /** The hidden layers alone (for custom heads); its output size is the last hidden width. */
        public Sequential buildTorso() {
            if (hidden.length == 0) {
                throw new IllegalArgumentException("a torso needs at least one hidden layer");
            }
            List<String> names = new ArrayList<>();
            List<Layer> layers = new ArrayList<>();
            addHidden(names, layers);
            return new Sequential(names, layers);
        }

        /** An MLP with a Linear output layer of {@code outputs} units. */
        public Sequential output(int outputs) {
            List<String> names = new ArrayList<>();
            List<Layer> layers = new ArrayList<>();
            int index = addHidden(names, layers);
            names.add(Integer.toString(index));
            layers.add(new Linear(lastWidth(), outputs, Activation.IDENTITY, true, headInit()));
            return new Sequential(names, layers);
        }

        /**
         * The torso followed by a dueling head: Q = V + A − mean(A), with one Linear layer for each stream.
         * Names: {@code torso.*}, {@code head.value.*}, {@code head.advantage.*}.
         */
        public Sequential dueling(int actions) {
            Layer value = new Linear(lastWidth(), 1, Activation.IDENTITY, true, headInit());
            Layer advantage = new Linear(lastWidth(), actions, Activation.IDENTITY, true, headInit());
            return new Sequential(List.of("torso", "head"), List.of(buildTorso(), new DuelingHead(value, advantage)));
        }

        /**
         * The torso followed by one Linear head per entry of {@code headSizes}, outputs concatenated (e.g. one head
         * per MultiDiscrete dimension). Names: {@code torso.*}, {@code heads.0.*}, {@code heads.1.*}, ...
         */
        public Sequential multiHead(int... headSizes) {
            List<Layer> heads = new ArrayList<>();
            for (int size : headSizes) {
                heads.add(new Linear(lastWidth(), size, Activation.IDENTITY, true, headInit()));
            }
            return new Sequential(List.of("torso", "heads"), List.of(buildTorso(), new MultiHead(heads.toArray(new Layer[0]))));
        }

        /**
         * {@code members} independent copies of this MLP with {@code outputs} outputs each, as one {@link Ensemble}
         * (e.g. REDQ's N critics): the first layer reads the shared input, member i's outputs are outputs
         * i·outputs to (i+1)·outputs. Member i equals {@code output(outputs)} built and initialized on its own, bit
         * for bit; parameter names are {@code <member>.<index>.weight} as in PyTorch's {@code ModuleList} of
         * {@code Sequential}s. Layer norm and dropout are not supported here, and the activation must be ReLU or
         * tanh (they run fused).
         */
        public Ensemble ensemble(int members, int outputs) {
            if (members <= 0) {
                throw new IllegalArgumentException("an ensemble needs at least one member, got " + members);
            }
            if (layerNorm || dropout > 0) {
                throw new IllegalArgumentException("an ensemble MLP supports neither layer norm nor dropout");
            }
            if (!activation.fusable()) {
                throw new IllegalArgumentException("an ensemble MLP needs a fusable activation (ReLU or tanh), got "
                        + activation);
            }
            List<String> names = new ArrayList<>();
            List<EnsembleLinear> layers = new ArrayList<>();
            int in = inputSize;
            int index = 0;
            for (int width : hidden) {
                names.add(Integer.toString(index));
                layers.add(new EnsembleLinear(members, in, width, layers.isEmpty(), activation, true, init));
                index += 2; // the fused activation's Sequential slot
                in = width;
            }
            names.add(Integer.toString(index));
            layers.add(new EnsembleLinear(members, in, outputs, layers.isEmpty(), Activation.IDENTITY, true,
                    headInit()));
            return new Ensemble(names, layers);
        }

        private LinearInit headInit() {
            return outputInit != null ? outputInit : init;
        }

        private int lastWidth() {
            return hidden.length == 0 ? inputSize : hidden[hidden.length - 1];
        }

        /** Adds the hidden layers; returns the next PyTorch Sequential index. */
        private int addHidden(List<String> names, List<Layer> layers) {
            int index = 0;
            int in = inputSize;
            for (int width : hidden) {
                boolean fuse = !layerNorm && activation.fusable();
                names.add(Integer.toString(index++));
                layers.add(new Linear(in, width, fuse ? activation : Activation.IDENTITY, true, init));
                if (layerNorm) {
                    names.add(Integer.toString(index++));
                    layers.add(new LayerNorm(width));
                }
                if (fuse) {
                    index++; // the fused activation's Sequential slot
                } else {
                    names.add(Integer.toString(index++));
                    layers.add(activationLayer(width));
                }
                if (dropout > 0) {
                    names.add(Integer.toString(index++));
                    layers.add(new Dropout(width, dropout, dropoutRng));
                }
                in = width;
            }
            return index;
        }

        private Layer activationLayer(int width) {
            return switch (activation) {
                case RELU -> new Relu(width);
                case TANH -> new Tanh(width);
                case ELU -> new Elu(width);
                case GELU -> new Gelu(width);
                case IDENTITY -> throw new IllegalStateException("identity is not a hidden activation");
            };
        }
    }
}
