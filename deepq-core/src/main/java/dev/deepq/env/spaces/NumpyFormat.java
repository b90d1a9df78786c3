package dev.deepq.env.spaces;

/** Formats space bounds the way Gymnasium's {@code __repr__} does through NumPy's printing. */
final class NumpyFormat {
    private NumpyFormat() {}

    static String boxToString(double[] low, double[] high, int[] shape, DType dtype) {
        if (allEqual(low) && allEqual(high) && low.length > 0) {
            return "Box(" + scalar(low[0], dtype) + ", " + scalar(high[0], dtype) + ", "
                    + Box.shapeString(shape) + ", " + dtype + ")";
        }
        return "Box(" + array(low, dtype) + ", " + array(high, dtype) + ", " + Box.shapeString(shape) + ", " + dtype + ")";
    }

    private static boolean allEqual(double[] a) {
        for (double v : a) {
            if (Double.compare(v, a[0]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** A NumPy scalar's str(): shortest repr that round-trips in the dtype. */
    static String scalar(double v, DType dtype) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (dtype.isInteger()) {
            return Long.toString((long) v);
        }
        String s = dtype == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
        return s.replace("E", "e");
    }

    /** NumPy array printing, simplified: space-separated scalars in brackets. */
    static String array(double[] a, DType dtype) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : " ").append(scalar(a[i], dtype));
        }
        return sb.append(']').toString();
    }
}
