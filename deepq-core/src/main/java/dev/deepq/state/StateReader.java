package dev.deepq.state;

import dev.deepq.io.SafeTensors;
import dev.deepq.random.Rng;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads state written by a {@link StateWriter}, under a scope. Every getter checks that the entry exists and has the
 * expected type (and, for arrays, length or shape), and otherwise throws a {@link StateException} naming the entry.
 */
public final class StateReader {
    private final StateSnapshot snapshot;
    private final String prefix;

    public StateReader(StateSnapshot snapshot) {
        this(snapshot, "");
    }

    private StateReader(StateSnapshot snapshot, String prefix) {
        this.snapshot = snapshot;
        this.prefix = prefix;
    }

    /** The reader of the part {@code name}. */
    public StateReader scope(String name) {
        return new StateReader(snapshot, prefix + name + "/");
    }

    /** Whether the entry {@code name} exists in this scope. */
    public boolean has(String name) {
        return snapshot.get(prefix + name) != null;
    }

    public long getLong(String name) {
        return get(name, Long.class, "an integer");
    }

    /** An integer that must fit in [{@code min}, {@code max}]. */
    public int getInt(String name, int min, int max) {
        long v = getLong(name);
        if (v < min || v > max) {
            throw new StateException("state '" + prefix + name + "' is " + v + ", outside [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    public double getDouble(String name) {
        return get(name, Double.class, "a float");
    }

    public boolean getBoolean(String name) {
        return get(name, Boolean.class, "a boolean");
    }

    public String getString(String name) {
        return get(name, String.class, "a string");
    }

    public <E extends Enum<E>> E getEnum(String name, Class<E> type) {
        String value = getString(name);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new StateException("state '" + prefix + name + "' is '" + value + "', not one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A new generator in the saved state. */
    public Rng getRng(String name) {
        long[] words = get(name, StateSnapshot.RngState.class, "a generator state").words();
        try {
            return Rng.fromState(words);
        } catch (IllegalArgumentException e) {
            throw new StateException("state '" + prefix + name + "' is not a valid generator state: " + e.getMessage());
        }
    }

    /** Copies the saved generator state into {@code rng}. */
    public void readRng(String name, Rng rng) {
        rng.restore(getRng(name).state());
    }

    /** Copies an F32 tensor of exactly {@code shape} ({@code [length]} when none) into {@code out[offset..]}. */
    public void readFloats(String name, float[] out, int offset, int length, int... shape) {
        tensor(name, SafeTensors.DType.F32, shape.length == 0 ? new int[] {length} : shape).asFloatBuffer().get(out, offset, length);
    }

    public void readFloats(String name, float[] out) {
        readFloats(name, out, 0, out.length);
    }

    /** Copies an F64 tensor of exactly {@code out.length} elements into {@code out}. */
    public void readDoubles(String name, double[] out) {
        tensor(name, SafeTensors.DType.F64, new int[] {out.length}).asDoubleBuffer().get(out);
    }

    /** Copies an F64 tensor of exactly {@code shape} into {@code out}. */
    public void readDoubleTensor(String name, double[] out, int... shape) {
        tensor(name, SafeTensors.DType.F64, shape).asDoubleBuffer().get(out);
    }

    /** An F64 array of any length (for growable state). */
    public double[] doubles(String name) {
        SafeTensors.Tensor t = tensor(name, SafeTensors.DType.F64);
        double[] out = new double[length(name, t)];
        bytes(t).asDoubleBuffer().get(out);
        return out;
    }

    public long[] longs(String name) {
        SafeTensors.Tensor t = tensor(name, SafeTensors.DType.I64);
        long[] out = new long[length(name, t)];
        bytes(t).asLongBuffer().get(out);
        return out;
    }

    public void readLongs(String name, long[] out) {
        tensor(name, SafeTensors.DType.I64, new int[] {out.length}).asLongBuffer().get(out);
    }

    public int[] ints(String name) {
        SafeTensors.Tensor t = tensor(name, SafeTensors.DType.I32);
        int[] out = new int[length(name, t)];
        bytes(t).asIntBuffer().get(out);
        return out;
    }

    public void readInts(String name, int[] out) {
        tensor(name, SafeTensors.DType.I32, new int[] {out.length}).asIntBuffer().get(out);
    }

    public byte[] bytes(String name) {
        return tensor(name, SafeTensors.DType.U8).data().clone();
    }

    public boolean[] booleans(String name) {
        SafeTensors.Tensor t = tensor(name, SafeTensors.DType.BOOL);
        byte[] data = t.data();
        boolean[] out = new boolean[data.length];
        for (int i = 0; i < data.length; i++) {
            if (data[i] != 0 && data[i] != 1) {
                throw new StateException("state '" + prefix + name + "' element " + i + " is " + data[i]
                        + ", not a boolean (0 or 1)");
            }
            out[i] = data[i] == 1;
        }
        return out;
    }

    public void readBooleans(String name, boolean[] out) {
        boolean[] in = booleans(name);
        checkLength(name, in.length, out.length);
        System.arraycopy(in, 0, out, 0, out.length);
    }

    /** Restores {@code part} from the scope {@code name}. */
    public void readPart(String name, Checkpointable part) {
        part.restoreState(scope(name));
    }

    /** Fails with a message naming {@code name} in this scope. */
    public StateException error(String name, String problem) {
        return new StateException("state '" + prefix + name + "': " + problem);
    }

    /** Checks that an array has the length the restoring object needs. */
    public void checkLength(String name, int actual, int expected) {
        if (actual != expected) {
            throw error(name, "has " + actual + " elements, expected " + expected);
        }
    }

    private <T> T get(String name, Class<T> type, String what) {
        Object v = snapshot.get(prefix + name);
        if (v == null) {
            throw new StateException("state '" + prefix + name + "' is missing");
        }
        if (!type.isInstance(v)) {
            throw new StateException("state '" + prefix + name + "' is " + StateSnapshot.describe(v) + ", expected " + what);
        }
        return type.cast(v);
    }

    private SafeTensors.Tensor tensor(String name, SafeTensors.DType dtype) {
        SafeTensors.Tensor t = get(name, SafeTensors.Tensor.class, "a " + dtype + " array");
        if (t.dtype() != dtype) {
            throw new StateException("state '" + prefix + name + "' is " + t.dtype() + ", expected " + dtype);
        }
        return t;
    }

    private ByteBuffer tensor(String name, SafeTensors.DType dtype, int[] shape) {
        SafeTensors.Tensor t = tensor(name, dtype);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new StateException("state '" + prefix + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return bytes(t);
    }

    private int length(String name, SafeTensors.Tensor t) {
        if (t.shape().length != 1) {
            throw new StateException("state '" + prefix + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected one dimension");
        }
        return t.shape()[0];
    }

    private static ByteBuffer bytes(SafeTensors.Tensor t) {
        return ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
    }
}
