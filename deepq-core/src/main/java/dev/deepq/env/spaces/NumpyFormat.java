package dev.deepq.env.spaces;

/**
 * NumPy 1.24's {@code str()} of arrays and scalars, with its default print options (precision 8, floatmode
 * "maxprec", no suppression, line width 75, summarised above 1000 elements with 3 edge items), so that spaces print
 * exactly as Gymnasium's {@code __repr__} does, e.g.
 * {@code Box([-1.2  -0.07], [0.6  0.07], (2,), float32)}.
 *
 * <p>Floats follow {@code FloatingFormat}: every finite element is first printed with its shortest unique digits
 * (Dragon4, per dtype); scientific notation is used when the largest magnitude is at least 1e8, the smallest non-zero
 * one is below 1e-4 or their ratio exceeds 1000; then all elements are padded to a common width (in scientific mode
 * also extended to a common number of digits). Integers are right-aligned to a common width.
 */
public final class NumpyFormat {
    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int PRECISION = 8;

    private NumpyFormat() {}

    /**
     * Gymnasium's {@code Box.__repr__}: each bound is printed as a scalar when all its elements are equal, as an
     * array otherwise. Infinite bounds of integer boxes print as the stand-ins Gymnasium stores for them.
     */
    static String boxToString(double[] low, double[] high, int[] shape, DType dtype) {
        return "Box(" + shortRepr(low, shape, dtype, -1) + ", " + shortRepr(high, shape, dtype, +1) + ", "
                + Box.shapeString(shape) + ", " + dtype + ")";
    }

    private static String shortRepr(double[] bound, int[] shape, DType dtype, int infSign) {
        double[] values = dtype.isInteger() ? integerBounds(bound, dtype, infSign) : bound;
        if (values.length > 0) {
            double min = values[0];
            double max = values[0];
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (min == max) {
                return scalar(min, dtype);
            }
        }
        return array(values, shape, dtype);
    }

    /** Gymnasium's {@code get_inf}: integer boxes store max - 2 / min + 2 (signed) or max / 0 (unsigned) for ±inf. */
    private static double[] integerBounds(double[] bound, DType dtype, int infSign) {
        double[] out = bound.clone();
        for (int i = 0; i < out.length; i++) {
            if (Double.isInfinite(out[i])) {
                out[i] = switch (dtype) {
                    case UINT8 -> out[i] > 0 ? 255 : 0;
                    case INT8 -> out[i] > 0 ? Byte.MAX_VALUE - 2 : Byte.MIN_VALUE + 2;
                    case INT32 -> out[i] > 0 ? Integer.MAX_VALUE - 2 : Integer.MIN_VALUE + 2;
                    // int64's stand-ins are not exact doubles; print via INT64_INF_* below
                    default -> out[i] > 0 ? INT64_POS_INF : INT64_NEG_INF;
                };
            }
        }
        return out;
    }

    /** Markers for int64's ±inf stand-ins, which a double cannot hold exactly. */
    private static final double INT64_POS_INF = Double.MAX_VALUE;
    private static final double INT64_NEG_INF = -Double.MAX_VALUE;

    /**
     * {@code str(x)} of a NumPy scalar of the dtype: floats positional when 1e-4 &lt;= |x| &lt; 1e16 (or zero) with at
     * least one fractional digit ({@code 2.0}), otherwise scientific ({@code 1e-05}, {@code 3.4028235e+38}).
     */
    public static String scalar(double v, DType dtype) {
        if (dtype.isInteger()) {
            return integerString(v);
        }
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        boolean float32 = dtype == DType.FLOAT32;
        double abs = Math.abs(float32 ? (float) v : v);
        if (abs == 0 || (abs < 1e16 && abs >= 1e-4)) {
            return Dragon4.positional(v, float32, -1, -1, Dragon4.Trim.LEAVE_ONE_ZERO, -1, -1);
        }
        return Dragon4.scientific(v, float32, -1, -1, Dragon4.Trim.DPT_ZEROS, -1, -1);
    }

    private static String integerString(double v) {
        if (v == INT64_POS_INF) {
            return Long.toString(Long.MAX_VALUE - 2);
        }
        if (v == INT64_NEG_INF) {
            return Long.toString(Long.MIN_VALUE + 2);
        }
        return Long.toString((long) v);
    }

    /** {@code str(a)} of a 1-D array of the dtype. */
    public static String array(double[] values, DType dtype) {
        return array(values, new int[] {values.length}, dtype);
    }

    /** {@code str(a)} of an array of the given shape, {@code values} flat in row-major order. */
    public static String array(double[] values, int[] shape, DType dtype) {
        if (values.length == 0) {
            return "[]";
        }
        if (shape.length == 0) {
            return scalar(values[0], dtype);
        }
        boolean summarize = values.length > THRESHOLD;
        double[] shown = summarize ? leadingTrailing(values, shape) : values;
        ElementFormat format = dtype.isInteger() ? new IntegerFormat(shown) : new FloatingFormat(shown, dtype);
        return new ArrayWriter(values, shape, format, summarize ? "..." : null).write();
    }

    /** The elements NumPy looks at to choose the format of a summarised array (edge items along every axis). */
    private static double[] leadingTrailing(double[] values, int[] shape) {
        java.util.List<Double> kept = new java.util.ArrayList<>();
        collectEdges(values, shape, 0, 0, kept);
        double[] out = new double[kept.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = kept.get(i);
        }
        return out;
    }

    private static void collectEdges(double[] values, int[] shape, int axis, int offset, java.util.List<Double> out) {
        int stride = stride(shape, axis);
        int n = shape[axis];
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE_ITEMS && i >= EDGE_ITEMS && i < n - EDGE_ITEMS) {
                continue;
            }
            int at = offset + i * stride;
            if (axis == shape.length - 1) {
                out.add(values[at]);
            } else {
                collectEdges(values, shape, axis + 1, at, out);
            }
        }
    }

    private static int stride(int[] shape, int axis) {
        int s = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            s *= shape[i];
        }
        return s;
    }

    private interface ElementFormat {
        String format(double v);
    }

    /** NumPy's {@code IntegerFormat}: right-aligned to the width of the longest of min and max. */
    private static final class IntegerFormat implements ElementFormat {
        private final int width;

        IntegerFormat(double[] data) {
            int w = 0;
            for (double v : data) {
                w = Math.max(w, integerString(v).length());
            }
            width = w;
        }

        @Override
        public String format(double v) {
            String s = integerString(v);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }

    /** NumPy's {@code FloatingFormat} with floatmode "maxprec", sign '-', suppress_small False. */
    private static final class FloatingFormat implements ElementFormat {
        private final boolean float32;
        private boolean expFormat;
        private int padLeft;
        private int padRight;
        private int precision = PRECISION;
        private int minDigits;
        private Dragon4.Trim trim;
        private int expSize;

        FloatingFormat(double[] data, DType dtype) {
            float32 = dtype == DType.FLOAT32;
            fill(data);
        }

        private void fill(double[] data) {
            int finiteCount = 0;
            double maxVal = 0;
            double minVal = Double.POSITIVE_INFINITY;
            boolean anyNonZero = false;
            for (double v : data) {
                if (Double.isFinite(v)) {
                    finiteCount++;
                    double abs = Math.abs(v);
                    if (abs != 0) {
                        anyNonZero = true;
                        maxVal = Math.max(maxVal, abs);
                        minVal = Math.min(minVal, abs);
                    }
                }
            }
            if (anyNonZero) {
                // NumPy computes max/min in the array's dtype: a float32 ratio can overflow to inf (still > 1000).
                double ratio = float32 ? (float) maxVal / (float) minVal : maxVal / minVal;
                expFormat = maxVal >= 1e8 || minVal < 0.0001 || ratio > 1000.;
            }
            if (finiteCount == 0) {
                padLeft = 0;
                padRight = 0;
                trim = Dragon4.Trim.ZEROS;
                expSize = -1;
                minDigits = -1;
            } else if (expFormat) {
                int maxInt = 0;
                int maxFrac = 0;
                int maxExp = 0;
                for (double v : data) {
                    if (!Double.isFinite(v)) {
                        continue;
                    }
                    String s = Dragon4.scientific(v, float32, precision, -1, Dragon4.Trim.ZEROS, -1, -1);
                    int e = s.indexOf('e');
                    int dot = s.indexOf('.');
                    maxInt = Math.max(maxInt, dot);
                    maxFrac = Math.max(maxFrac, e - dot - 1);
                    maxExp = Math.max(maxExp, s.length() - e - 1);
                }
                expSize = maxExp - 1;
                trim = Dragon4.Trim.NONE;
                precision = maxFrac;
                minDigits = maxFrac;
                padLeft = maxInt;
                padRight = expSize + 2 + precision;
            } else {
                int maxInt = 0;
                int maxFrac = 0;
                for (double v : data) {
                    if (!Double.isFinite(v)) {
                        continue;
                    }
                    String s = Dragon4.positional(v, float32, precision, -1, Dragon4.Trim.ZEROS, -1, -1);
                    int dot = s.indexOf('.');
                    maxInt = Math.max(maxInt, dot);
                    maxFrac = Math.max(maxFrac, s.length() - dot - 1);
                }
                padLeft = maxInt;
                padRight = maxFrac;
                expSize = -1;
                trim = Dragon4.Trim.ZEROS;
                minDigits = 0;
            }
            if (finiteCount != data.length) {
                boolean negInf = false;
                for (double v : data) {
                    negInf |= v == Double.NEGATIVE_INFINITY;
                }
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
            }
        }

        @Override
        public String format(double v) {
            if (!Double.isFinite(v)) {
                String s = Double.isNaN(v) ? "nan" : v < 0 ? "-inf" : "inf";
                return " ".repeat(Math.max(0, padLeft + padRight + 1 - s.length())) + s;
            }
            if (expFormat) {
                return Dragon4.scientific(v, float32, precision, minDigits, trim, padLeft, expSize);
            }
            return Dragon4.positional(v, float32, precision, minDigits, trim, padLeft, padRight);
        }
    }

    /** NumPy's {@code _formatArray}: nested brackets, hanging indents and wrapping at the line width. */
    private static final class ArrayWriter {
        private final double[] values;
        private final int[] shape;
        private final ElementFormat format;
        private final String summaryInsert;

        ArrayWriter(double[] values, int[] shape, ElementFormat format, String summaryInsert) {
            this.values = values;
            this.shape = shape;
            this.format = format;
            this.summaryInsert = summaryInsert;
        }

        String write() {
            return recurse(0, 0, " ", LINE_WIDTH);
        }

        private String recurse(int axis, int offset, String hangingIndent, int currWidth) {
            if (axis == shape.length) {
                return format.format(values[offset]);
            }
            String nextHangingIndent = hangingIndent + " ";
            int nextWidth = currWidth - 1;
            int n = shape[axis];
            int stride = stride(shape, axis);
            boolean showSummary = summaryInsert != null && 2 * EDGE_ITEMS < n;
            int leading = showSummary ? EDGE_ITEMS : 0;
            int trailing = showSummary ? EDGE_ITEMS : n;
            StringBuilder s = new StringBuilder();
            if (axis == shape.length - 1) {
                int elemWidth = currWidth - 1;
                StringBuilder line = new StringBuilder(hangingIndent);
                for (int i = 0; i < leading; i++) {
                    String word = recurse(axis + 1, offset + i * stride, nextHangingIndent, nextWidth);
                    line = extendLine(s, line, word, elemWidth, hangingIndent);
                    line.append(' ');
                }
                if (showSummary) {
                    line = extendLine(s, line, summaryInsert, elemWidth, hangingIndent);
                    line.append(' ');
                }
                for (int i = trailing; i > 1; i--) {
                    String word = recurse(axis + 1, offset + (n - i) * stride, nextHangingIndent, nextWidth);
                    line = extendLine(s, line, word, elemWidth, hangingIndent);
                    line.append(' ');
                }
                String last = recurse(axis + 1, offset + (n - 1) * stride, nextHangingIndent, nextWidth);
                line = extendLine(s, line, last, elemWidth, hangingIndent);
                s.append(line);
            } else {
                String lineSep = "\n".repeat(shape.length - axis - 1);
                for (int i = 0; i < leading; i++) {
                    s.append(hangingIndent).append(recurse(axis + 1, offset + i * stride, nextHangingIndent, nextWidth))
                            .append(lineSep);
                }
                if (showSummary) {
                    s.append(hangingIndent).append(summaryInsert).append(lineSep);
                }
                for (int i = trailing; i > 1; i--) {
                    s.append(hangingIndent)
                            .append(recurse(axis + 1, offset + (n - i) * stride, nextHangingIndent, nextWidth))
                            .append(lineSep);
                }
                s.append(hangingIndent).append(recurse(axis + 1, offset + (n - 1) * stride, nextHangingIndent, nextWidth));
            }
            return "[" + s.substring(hangingIndent.length()) + "]";
        }

        /** NumPy's {@code _extendLine}: wraps before {@code word} when it would pass the width, unless that can't help. */
        private static StringBuilder extendLine(StringBuilder s, StringBuilder line, String word, int lineWidth,
                                                String nextLinePrefix) {
            boolean needsWrap = line.length() + word.length() > lineWidth;
            if (line.length() <= nextLinePrefix.length()) {
                needsWrap = false;
            }
            if (needsWrap) {
                s.append(stripTrailing(line)).append('\n');
                line = new StringBuilder(nextLinePrefix);
            }
            return line.append(word);
        }

        private static String stripTrailing(CharSequence line) {
            int end = line.length();
            while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
                end--;
            }
            return line.subSequence(0, end).toString();
        }
    }
}
