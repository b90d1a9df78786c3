package dev.deepq.env.spaces;

import dev.deepq.random.Rng;
import java.util.Arrays;

/**
 * {@code Box(low, high, shape, dtype)}: a (possibly unbounded) box in R^n, stored flat in row-major order.
 * Bounds are kept as the dtype stores them (float32 bounds are rounded to float32, as NumPy does).
 */
public final class Box implements Space {
    private final double[] low;
    private final double[] high;
    private final int[] shape;
    private final DType dtype;
    private final SpaceRng rng = new SpaceRng();

    /** A box with the same bounds in every dimension. */
    public Box(double low, double high, int[] shape, DType dtype) {
        this(filled(low, shape), filled(high, shape), shape, dtype);
    }

    /** A box with per-element bounds, given flat in row-major order. */
    public Box(double[] low, double[] high, int[] shape, DType dtype) {
        int size = product(shape);
        if (low.length != size || high.length != size) {
            throw new IllegalArgumentException("Box bounds must have " + size + " elements for shape "
                    + shapeString(shape) + ", got low " + low.length + " and high " + high.length);
        }
        this.shape = shape.clone();
        this.dtype = dtype;
        this.low = new double[size];
        this.high = new double[size];
        for (int i = 0; i < size; i++) {
            if (Double.isNaN(low[i]) || Double.isNaN(high[i])) {
                throw new IllegalArgumentException("Box bounds must not be NaN (element " + i + ")");
            }
            if (low[i] > high[i]) {
                throw new IllegalArgumentException("Box low must be <= high, but element " + i + " has low "
                        + low[i] + " > high " + high[i]);
            }
            checkRepresentable(low[i], dtype, "low", i);
            checkRepresentable(high[i], dtype, "high", i);
            this.low[i] = castBound(low[i], dtype);
            this.high[i] = castBound(high[i], dtype);
        }
    }

    /** A float32 box of the given flat bounds and shape (n,). */
    public static Box float32(double[] low, double[] high) {
        return new Box(low, high, new int[] {low.length}, DType.FLOAT32);
    }

    /**
     * Integer bounds must be whole numbers the dtype can hold (NumPy would silently wrap them); an unsigned box cannot
     * be unbounded below (Gymnasium refuses -inf for unsigned dtypes too).
     */
    private static void checkRepresentable(double v, DType dtype, String which, int i) {
        if (!dtype.isInteger()) {
            return;
        }
        if (Double.isInfinite(v)) {
            if (dtype == DType.UINT8 && v < 0) {
                throw new IllegalArgumentException("Box " + which + "[" + i + "] is -inf, but uint8 cannot be unbounded below");
            }
            return;
        }
        if (v != Math.rint(v) || dtype.cast(v) != v) {
            throw new IllegalArgumentException("Box " + which + "[" + i + "] = " + v + " is not a " + dtype
                    + " value; integer boxes need whole-number bounds in the dtype's range");
        }
    }

    private static double castBound(double v, DType dtype) {
        return Double.isInfinite(v) ? v : dtype.cast(v);
    }

    private static double[] filled(double v, int[] shape) {
        double[] a = new double[product(shape)];
        Arrays.fill(a, v);
        return a;
    }

    static int product(int[] shape) {
        int p = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, got " + shapeString(shape));
            }
            p = Math.multiplyExact(p, d);
        }
        return p;
    }

    static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    public double[] low() {
        return low.clone();
    }

    public double[] high() {
        return high.clone();
    }

    public double low(int i) {
        return low[i];
    }

    public double high(int i) {
        return high[i];
    }

    public DType dtype() {
        return dtype;
    }

    public boolean isBoundedBelow(int i) {
        return low[i] != Double.NEGATIVE_INFINITY;
    }

    public boolean isBoundedAbove(int i) {
        return high[i] != Double.POSITIVE_INFINITY;
    }

    public boolean contains(double[] x) {
        return x.length == low.length && containsFlat(x, 0);
    }

    /**
     * Gymnasium's {@code Box.sample()}: uniform where bounded on both sides, shifted exponential where bounded on
     * one side, standard normal where unbounded; in Gymnasium's order (normal, exponential below, exponential above,
     * uniform), integer dtypes floored and sampled on [low, high + 1).
     */
    public void sample(Rng generator, double[] out) {
        if (out.length != low.length) {
            throw new IllegalArgumentException("Box.sample needs an array of " + low.length + ", got " + out.length);
        }
        sampleFlat(generator, out, 0);
    }

    public double[] sample() {
        double[] out = new double[low.length];
        sample(rng.get(), out);
        return out;
    }

    @Override
    public void sampleFlat(Rng generator, double[] out, int offset) {
        int n = low.length;
        for (int i = 0; i < n; i++) {
            if (!isBoundedBelow(i) && !isBoundedAbove(i)) {
                out[offset + i] = Normal.standardNormal(generator);
            }
        }
        for (int i = 0; i < n; i++) {
            if (isBoundedBelow(i) && !isBoundedAbove(i)) {
                out[offset + i] = Normal.standardExponential(generator) + low[i];
            }
        }
        for (int i = 0; i < n; i++) {
            if (!isBoundedBelow(i) && isBoundedAbove(i)) {
                out[offset + i] = -Normal.standardExponential(generator) + high[i];
            }
        }
        for (int i = 0; i < n; i++) {
            if (isBoundedBelow(i) && isBoundedAbove(i)) {
                double hi = dtype.isInteger() ? high[i] + 1 : high[i];
                out[offset + i] = generator.uniform(low[i], hi);
            }
        }
        for (int i = 0; i < n; i++) {
            double v = dtype.isInteger() ? Math.floor(out[offset + i]) : out[offset + i];
            out[offset + i] = dtype.cast(v);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int size() {
        return low.length;
    }

    @Override
    public int flatDim() {
        return low.length;
    }

    @Override
    public boolean containsFlat(double[] values, int offset) {
        for (int i = 0; i < low.length; i++) {
            double v = values[offset + i];
            // NaN fails both comparisons, so it is never contained.
            if (!(v >= low[i] && v <= high[i])) {
                return false;
            }
            if (dtype.isInteger() && v != Math.rint(v)) {
                return false;
            }
        }
        return true;
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
        System.arraycopy(values, offset, out, outOffset, low.length);
    }

    @Override
    public boolean isInteger() {
        return dtype.isInteger();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && b.dtype == dtype && Arrays.equals(b.shape, shape)
                && Arrays.equals(b.low, low) && Arrays.equals(b.high, high);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(low) * 17 + Arrays.hashCode(high) + dtype.hashCode();
    }

    /** Gymnasium's form: {@code Box(-2.0, 2.0, (1,), float32)} for uniform bounds, NumPy arrays otherwise. */
    @Override
    public String toString() {
        return NumpyFormat.boxToString(low, high, shape, dtype);
    }
}
