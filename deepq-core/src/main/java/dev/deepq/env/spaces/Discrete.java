package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/** {@code Discrete(n, start)}: the integers {@code start, start + 1, …, start + n - 1}. */
public final class Discrete implements Space {
    private final int n;
    private final int start;
    private final SpaceRng rng = new SpaceRng();

    public Discrete(int n) {
        this(n, 0);
    }

    public Discrete(int n, int start) {
        if (n <= 0) {
            throw new IllegalArgumentException("Discrete space needs n > 0, got n=" + n);
        }
        this.n = n;
        this.start = start;
    }

    public int n() {
        return n;
    }

    public int start() {
        return start;
    }

    public boolean contains(long value) {
        return value >= start && value - start < n;
    }

    /** A uniformly drawn element, as Gymnasium's {@code start + np_random.integers(n)}. */
    public int sample(Rng generator) {
        return start + (int) Distributions.integers(generator, n);
    }

    public int sample() {
        return sample(rng.get());
    }

    @Override
    public int[] shape() {
        return new int[0];
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public int flatDim() {
        return n;
    }

    @Override
    public boolean containsFlat(double[] values, int offset) {
        double v = values[offset];
        return v == Math.rint(v) && contains((long) v);
    }

    @Override
    public void sampleFlat(Rng generator, double[] out, int offset) {
        out[offset] = sample(generator);
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
        java.util.Arrays.fill(out, outOffset, outOffset + n, 0.0);
        out[outOffset + (int) values[offset] - start] = 1.0;
    }

    @Override
    public boolean isInteger() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Discrete d && d.n == n && d.start == start;
    }

    @Override
    public int hashCode() {
        return 31 * n + start;
    }

    @Override
    public String toString() {
        return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
    }
}
