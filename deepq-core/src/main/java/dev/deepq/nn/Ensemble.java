package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * N networks of the same architecture evaluated as one layer, such as the critics of an ensemble (REDQ): a chain of
 * {@link EnsembleLinear} layers, the first usually reading a shared input, each member's output a slice of the
 * N-wide output. Member i computes exactly what its own network would (bit for bit; see {@link EnsembleLinear}).
 *
 * <p>Parameter names are those of N PyTorch modules in an {@code nn.ModuleList}: {@code <member>.<layer name>.weight}
 * (e.g. {@code 3.2.weight} for {@code ModuleList([Sequential(Linear, ReLU, Linear, ReLU, Linear), ...])[3][2]}),
 * listed member by member, and {@link #initialize} draws member by member in that order, so an ensemble initialized
 * from a generator equals N separate networks initialized one after another from the same generator. Build one
 * with {@link Mlp.Builder#ensemble(int, int)}.
 */
public final class Ensemble extends Layer {
    private final int members;
    private final List<String> names;
    private final List<EnsembleLinear> layers;

    /**
     * @param names each layer's name within one member (its PyTorch Sequential index)
     * @param layers the layers in order, all with the same number of members
     */
    public Ensemble(List<String> names, List<EnsembleLinear> layers) {
        super(first(layers).inputSize(), layers.get(layers.size() - 1).outputSize());
        if (names.size() != layers.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + layers.size() + " layers");
        }
        members = layers.get(0).members();
        for (int i = 0; i < layers.size(); i++) {
            EnsembleLinear layer = layers.get(i);
            if (layer.members() != members) {
                throw new IllegalArgumentException("layer " + names.get(i) + " has " + layer.members()
                        + " members, the first layer " + members);
            }
            if (i > 0) {
                if (layer.sharedInput()) {
                    throw new IllegalArgumentException("layer " + names.get(i) + " reads a shared input; only the"
                            + " first layer of an ensemble can");
                }
                if (layer.memberInputs() != layers.get(i - 1).memberOutputs()) {
                    throw new IllegalArgumentException("layer " + names.get(i) + " takes " + layer.memberInputs()
                            + " inputs per member but layer " + names.get(i - 1) + " produces "
                            + layers.get(i - 1).memberOutputs());
                }
            }
        }
        this.names = List.copyOf(names);
        this.layers = List.copyOf(layers);
    }

    private static EnsembleLinear first(List<EnsembleLinear> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an Ensemble needs at least one layer");
        }
        return layers.get(0);
    }

    /** N. */
    public int members() {
        return members;
    }

    /** Outputs of one member (member i's are outputs i·this to (i+1)·this of each sample). */
    public int memberOutputs() {
        return layers.get(layers.size() - 1).memberOutputs();
    }

    public List<EnsembleLinear> layers() {
        return layers;
    }

    @Override
    public int parameterCount() {
        int n = 0;
        for (EnsembleLinear layer : layers) {
            n += layer.parameterCount();
        }
        return n;
    }

    @Override
    protected void allocate() {
        for (EnsembleLinear layer : layers) {
            layer.attach(kernels, maxBatch);
        }
    }

    @Override
    protected void bind(float[] parameters, float[] gradients, int offset) {
        for (EnsembleLinear layer : layers) {
            layer.bind(parameters, gradients, offset);
            offset += layer.parameterCount();
        }
    }

    @Override
    protected void describe(String prefix, int offset, List<ParameterView> out) {
        int[] offsets = new int[layers.size()];
        for (int l = 0, o = offset; l < layers.size(); l++) {
            offsets[l] = o;
            o += layers.get(l).parameterCount();
        }
        List<ParameterView> views = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String member = join(prefix, Integer.toString(i));
            for (int l = 0; l < layers.size(); l++) {
                layers.get(l).describeMember(join(member, names.get(l)), offsets[l], i, views);
            }
        }
        out.addAll(views);
    }

    @Override
    protected void initialize(Rng rng) {
        for (int i = 0; i < members; i++) {
            for (EnsembleLinear layer : layers) {
                layer.initializeMember(i, rng);
            }
        }
    }

    @Override
    protected void setInputGradientNeeded(boolean needed) {
        super.setInputGradientNeeded(needed);
        layers.get(0).setInputGradientNeeded(needed);
    }

    @Override
    protected void setParameterGradientsNeeded(boolean needed) {
        super.setParameterGradientsNeeded(needed);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).setParameterGradientsNeeded(needed);
        }
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        float[] h = input;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, batch);
        }
        return h;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        float[] g = outputGradient;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g, batch);
        }
        return g;
    }
}
