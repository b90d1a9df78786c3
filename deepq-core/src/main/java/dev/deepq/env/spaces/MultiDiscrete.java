package dev.deepq.env.spaces;

import dev.deepq.random.Rng;
import java.util.Arrays;

/** {@code MultiDiscrete(nvec)}: vectors whose element i lies in {@code [0, nvec[i])}. */
public final class MultiDiscrete implements Space {
    private final int[] nvec;
    private final SpaceRng rng = new SpaceRng();

    public MultiDiscrete(int... nvec) {
        if (nvec.length == 0) {
            throw new IllegalArgumentException("MultiDiscrete needs at least one dimension");
        }
        for (int i = 0; i < nvec.length; i++) {
            if (nvec[i] <= 0) {
                throw new IllegalArgumentException("MultiDiscrete nvec must be positive, got nvec[" + i + "]=" + nvec[i]);
            }
        }
        this.nvec = nvec.clone();
    }

    public int[] nvec() {
        return nvec.clone();
    }

    public int n(int dimension) {
        return nvec[dimension];
    }

    public boolean contains(int[] x) {
        if (x.length != nvec.length) {
            return false;
        }
        for (int i = 0; i < nvec.length; i++) {
            if (x[i] < 0 || x[i] >= nvec[i]) {
                return false;
            }
        }
        return true;
    }

    /** Gymnasium's {@code (np_random.random(nvec.shape) * nvec).astype(int)}. */
    public void sample(Rng generator, int[] out) {
        for (int i = 0; i < nvec.length; i++) {
            out[i] = (int) (generator.random() * nvec[i]);
        }
    }

    public int[] sample() {
        int[] out = new int[nvec.length];
        sample(rng.get(), out);
        return out;
    }

    @Override
    public int[] shape() {
        return new int[] {nvec.length};
    }

    @Override
    public int size() {
        return nvec.length;
    }

    @Override
    public int flatDim() {
        int sum = 0;
        for (int n : nvec) {
            sum += n;
        }
        return sum;
    }

    @Override
    public boolean containsFlat(double[] values, int offset) {
        for (int i = 0; i < nvec.length; i++) {
            double v = values[offset + i];
            if (!(v >= 0 && v < nvec[i]) || v != Math.rint(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void sampleFlat(Rng generator, double[] out, int offset) {
        for (int i = 0; i < nvec.length; i++) {
            out[offset + i] = (int) (generator.random() * nvec[i]);
        }
    }

    @Override
    public void seed(long seed) {
        rng.seed(seed);
    }

    @Override
    public Rng rng() {
        return rng.get();
    }

    @Override
    public void flatten(double[] values, int offset, double[] out, int outOffset) {
        int pos = outOffset;
        for (int i = 0; i < nvec.length; i++) {
            Arrays.fill(out, pos, pos + nvec[i], 0.0);
            out[pos + (int) values[offset + i]] = 1.0;
            pos += nvec[i];
        }
    }

    @Override
    public boolean isInteger() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiDiscrete m && Arrays.equals(m.nvec, nvec);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nvec);
    }

    @Override
    public String toString() {
        double[] values = new double[nvec.length];
        for (int i = 0; i < nvec.length; i++) {
            values[i] = nvec[i];
        }
        // Gymnasium prints f"MultiDiscrete({self.nvec})": NumPy's str of an int64 array (padded, wrapped)
        return "MultiDiscrete(" + NumpyFormat.array(values, DType.INT64) + ")";
    }
}
