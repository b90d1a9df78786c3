package dev.deepq.nn;

import java.util.Arrays;

/**
 * A named tensor inside a network's flat parameter array (and, at the same offset, its gradient array): what a
 * checkpoint writes as one safetensors entry. Names and shapes follow PyTorch's {@code state_dict} (e.g.
 * {@code 0.weight} of shape [out, in], {@code 0.bias} of shape [out]), so exported weights load into the
 * equivalent PyTorch module.
 */
public final class ParameterView {
    private final String name;
    private final int offset;
    private final int[] shape;
    private final int size;

    public ParameterView(String name, int offset, int... shape) {
        this.name = name;
        this.offset = offset;
        this.shape = shape.clone();
        int s = 1;
        for (int d : shape) {
            s = Math.multiplyExact(s, d);
        }
        this.size = s;
    }

    public String name() {
        return name;
    }

    /** Index of the first element in the flat arrays. */
    public int offset() {
        return offset;
    }

    /** Dimensions, outermost first (row-major). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterView v && v.name.equals(name) && v.offset == offset
                && Arrays.equals(v.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
