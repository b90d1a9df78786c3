package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/** {@code MultiBinary(n)}: vectors of n zeros and ones. */
public final class MultiBinary implements Space {
    private final int n;
    private final SpaceRng rng = new SpaceRng();

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

    /** Gymnasium's {@code np_random.integers(low=0, high=2, size=n)}, one bounded draw per element. */
    public void sample(Rng generator, int[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = (int) Distributions.integers(generator, 2);
        }
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
        for (int i = 0; i < n; i++) {
            out[offset + i] = Distributions.integers(generator, 2);
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
