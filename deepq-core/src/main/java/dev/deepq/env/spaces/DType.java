package dev.deepq.env.spaces;

/** The element type of a {@link Box}, named as NumPy names it. */
public enum DType {
    FLOAT32("float32", false),
    FLOAT64("float64", false),
    UINT8("uint8", true),
    INT8("int8", true),
    INT32("int32", true),
    INT64("int64", true);

    private final String numpyName;
    private final boolean integer;

    DType(String numpyName, boolean integer) {
        this.numpyName = numpyName;
        this.integer = integer;
    }

    public String numpyName() {
        return numpyName;
    }

    public boolean isInteger() {
        return integer;
    }

    /** The value as this type stores it (float32 rounding, integer truncation toward zero as NumPy's astype). */
    public double cast(double value) {
        return switch (this) {
            case FLOAT32 -> (float) value;
            case FLOAT64 -> value;
            case UINT8 -> (double) (((long) value) & 0xFF);
            case INT8 -> (double) (byte) (long) value;
            case INT32 -> (double) (int) (long) value;
            case INT64 -> (double) (long) value;
        };
    }

    public static DType fromNumpyName(String name) {
        for (DType t : values()) {
            if (t.numpyName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; valid: float32, float64, uint8, int8, int32, int64");
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
