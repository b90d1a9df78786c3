package dev.deepq.state;

import dev.deepq.io.SafeTensors;
import dev.deepq.random.Rng;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes state into a {@link StateSnapshot} under a scope: {@code out.scope("env").putLong("elapsed", 3)} writes
 * {@code env/elapsed}. Arrays are copied as they are written (into little-endian bytes), so the object may change
 * right after. Names are unique: writing one twice is an error (it would mean two parts of a program share a name).
 */
public final class StateWriter {
    private final Map<String, Object> entries;
    private final String prefix;

    /** A writer into a new, empty snapshot. */
    public StateWriter() {
        this(new LinkedHashMap<>(), "");
    }

    private StateWriter(Map<String, Object> entries, String prefix) {
        this.entries = entries;
        this.prefix = prefix;
    }

    /** A writer for the part {@code name}: its entries are named {@code <this scope>/name/...}. */
    public StateWriter scope(String name) {
        return new StateWriter(entries, fullName(name) + "/");
    }

    /** Everything written so far through this writer or any scope of it. */
    public StateSnapshot snapshot() {
        return new StateSnapshot(new LinkedHashMap<>(entries));
    }

    public StateWriter putLong(String name, long value) {
        return put(name, value);
    }

    public StateWriter putDouble(String name, double value) {
        return put(name, value);
    }

    public StateWriter putBoolean(String name, boolean value) {
        return put(name, value);
    }

    public StateWriter putString(String name, String value) {
        return put(name, value);
    }

    /** An enum constant, by name. */
    public StateWriter putEnum(String name, Enum<?> value) {
        return put(name, value.name());
    }

    /** A generator's full state. */
    public StateWriter putRng(String name, Rng rng) {
        return put(name, new StateSnapshot.RngState(rng.state()));
    }

    /** {@code values[offset, offset + length)} as an F32 tensor of the given shape ({@code [length]} when none). */
    public StateWriter putFloats(String name, float[] values, int offset, int length, int... shape) {
        ByteBuffer b = buffer(length, 4);
        b.asFloatBuffer().put(values, offset, length);
        return putTensor(name, SafeTensors.DType.F32, shape(name, length, shape), b);
    }

    public StateWriter putFloats(String name, float[] values) {
        return putFloats(name, values, 0, values.length);
    }

    public StateWriter putDoubles(String name, double[] values) {
        return putDoubles(name, values, values.length);
    }

    /** The first {@code length} values (for growable arrays). */
    public StateWriter putDoubles(String name, double[] values, int length) {
        ByteBuffer b = buffer(length, 8);
        b.asDoubleBuffer().put(values, 0, length);
        return putTensor(name, SafeTensors.DType.F64, new int[] {length}, b);
    }

    /** All values as an F64 tensor of the given shape (e.g. a table {@code [states, actions]}). */
    public StateWriter putDoubleTensor(String name, double[] values, int... shape) {
        int length = values.length;
        ByteBuffer b = buffer(length, 8);
        b.asDoubleBuffer().put(values, 0, length);
        return putTensor(name, SafeTensors.DType.F64, shape(name, length, shape), b);
    }

    public StateWriter putLongs(String name, long[] values) {
        return putLongs(name, values, values.length);
    }

    public StateWriter putLongs(String name, long[] values, int length) {
        ByteBuffer b = buffer(length, 8);
        b.asLongBuffer().put(values, 0, length);
        return putTensor(name, SafeTensors.DType.I64, new int[] {length}, b);
    }

    public StateWriter putInts(String name, int[] values) {
        return putInts(name, values, values.length);
    }

    public StateWriter putInts(String name, int[] values, int length) {
        ByteBuffer b = buffer(length, 4);
        b.asIntBuffer().put(values, 0, length);
        return putTensor(name, SafeTensors.DType.I32, new int[] {length}, b);
    }

    public StateWriter putBytes(String name, byte[] values) {
        return put(name, new SafeTensors.Tensor(SafeTensors.DType.U8, new int[] {values.length}, values.clone()));
    }

    public StateWriter putBooleans(String name, boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return put(name, new SafeTensors.Tensor(SafeTensors.DType.BOOL, new int[] {values.length}, bytes));
    }

    /** Saves {@code part} under the scope {@code name}. */
    public StateWriter putPart(String name, Checkpointable part) {
        part.saveState(scope(name));
        return this;
    }

    private static ByteBuffer buffer(int length, int bytes) {
        return ByteBuffer.allocate(Math.multiplyExact(length, bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int[] shape(String name, int length, int[] shape) {
        if (shape.length == 0) {
            return new int[] {length};
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("state '" + fullName(name) + "': shape " + Arrays.toString(shape)
                    + " holds " + n + " elements, not " + length);
        }
        return shape.clone();
    }

    private StateWriter putTensor(String name, SafeTensors.DType dtype, int[] shape, ByteBuffer data) {
        return put(name, new SafeTensors.Tensor(dtype, shape, data.array()));
    }

    private StateWriter put(String name, Object value) {
        String full = fullName(name);
        if (entries.putIfAbsent(full, value) != null) {
            throw new IllegalStateException("state '" + full + "' was written twice");
        }
        return this;
    }

    private String fullName(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("state names are non-empty and have no '/', got '" + name + "'");
        }
        return prefix + name;
    }
}
