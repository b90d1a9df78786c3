package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/** {@code MultiBinary(n)}: vectors of n zeros and ones. */
public final class MultiBinary implements Space {
    private final int n;
    private final SpaceRng rng = new SpaceRng();
    /** Reused by {@link #sampleFlat} so sampling does not allocate (a space, like an env, is not thread-safe). */
    private int[] scratch;

    public MultiBinary(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("MultiBinary needs n > 0, got " + n);
        }
        this.n = n;
    }

    public int n() {
        return n;
    }

    public boolean contains(int[] x) {
        if (x.length != n) {
            return false;
        }
        for (int v : x) {
            if (v != 0 && v != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Gymnasium's {@code np_random.integers(low=0, high=2, size=n, dtype=int8)}: NumPy draws int8 arrays from the
     * bytes of 32-bit draws, four elements per draw (see {@link Rng#integersInt8}).
     */
    public void sample(Rng generator, int[] out) {
        if (out.length != n) {
            throw new IllegalArgumentException("MultiBinary(" + n + ").sample needs an array of " + n + ", got " + out.length);
        }
        generator.integersInt8(2, out, 0, n);
    }

    public int[] sample() {
        int[] out = new int[n];
        sample(rng.get(), out);
        return out;
    }

    @Override
    public int[] shape() {
        return new int[] {n};
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public int flatDim() {
        return n;
    }

    @Override
    public boolean containsFlat(double[] values, int offset) {
        for (int i = 0; i < n; i++) {
            double v = values[offset + i];
            if (v != 0.0 && v != 1.0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void sampleFlat(Rng generator, double[] out, int offset) {
        int[] bits = scratch();
        generator.integersInt8(2, bits, 0, n);
        for (int i = 0; i < n; i++) {
            out[offset + i] = bits[i];
        }
    }

    private int[] scratch() {
        if (scratch == null) {
            scratch = new int[n];
        }
        return scratch;
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
        System.arraycopy(values, offset, out, outOffset, n);
    }

    @Override
    public boolean isInteger() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiBinary m && m.n == n;
    }

    @Override
    public int hashCode() {
        return n;
    }

    @Override
    public String toString() {
        return "MultiBinary(" + n + ")";
    }
}
