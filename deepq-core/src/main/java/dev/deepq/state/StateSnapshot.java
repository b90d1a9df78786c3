package dev.deepq.state;

import dev.deepq.io.SafeTensors;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saved state as plain data: an ordered map from slash-separated names ({@code env/0/inner/state}) to values.
 * A value is a {@link Long}, {@link Double}, {@link Boolean}, {@link String}, an {@link RngState} or a
 * {@link SafeTensors.Tensor} (arrays, little-endian bytes with a dtype and shape). Checkpoints write the scalars and
 * generator states into their JSON manifest and the tensors into a safetensors file.
 */
public final class StateSnapshot {
    /** The six 64-bit words of a {@link dev.deepq.random.Rng} (see {@link dev.deepq.random.Rng#state()}). */
    public record RngState(long[] words) {
        public RngState {
            words = words.clone();
        }

        @Override
        public long[] words() {
            return words.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RngState r && Arrays.equals(r.words, words);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(words);
        }

        @Override
        public String toString() {
            return "RngState" + Arrays.toString(words);
        }
    }

    private final Map<String, Object> entries;

    StateSnapshot(Map<String, Object> entries) {
        this.entries = entries;
    }

    /**
     * A snapshot of the given entries (copied), each a value of the types listed above.
     *
     * @throws StateException for a value of another type
     */
    public static StateSnapshot of(Map<String, ?> entries) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : entries.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String
                    || v instanceof RngState || v instanceof SafeTensors.Tensor)) {
                throw new StateException("state '" + e.getKey() + "' has a value of unsupported type "
                        + (v == null ? "null" : v.getClass().getSimpleName()));
            }
            copy.put(e.getKey(), v);
        }
        return new StateSnapshot(copy);
    }

    /** The entries in the order they were written (read-only). */
    public Map<String, Object> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public Object get(String name) {
        return entries.get(name);
    }

    public int size() {
        return entries.size();
    }

    /** Whether both hold the same names with equal values (tensors compared by dtype, shape and bytes). */
    public boolean sameAs(StateSnapshot other) {
        if (!entries.keySet().equals(other.entries.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            if (!sameValue(e.getValue(), other.entries.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The first difference from {@code other} as a sentence, or null when {@link #sameAs} holds. */
    public String firstDifference(StateSnapshot other) {
        for (String name : entries.keySet()) {
            if (!other.entries.containsKey(name)) {
                return "'" + name + "' is missing from the other state";
            }
            if (!sameValue(entries.get(name), other.entries.get(name))) {
                return "'" + name + "' differs: " + describe(entries.get(name)) + " vs " + describe(other.entries.get(name));
            }
        }
        for (String name : other.entries.keySet()) {
            if (!entries.containsKey(name)) {
                return "'" + name + "' is only in the other state";
            }
        }
        return null;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof SafeTensors.Tensor x && b instanceof SafeTensors.Tensor y) {
            return x.dtype() == y.dtype() && Arrays.equals(x.shape(), y.shape()) && Arrays.equals(x.data(), y.data());
        }
        if (a instanceof Double x && b instanceof Double y) {
            return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
        }
        return a.equals(b);
    }

    static String describe(Object v) {
        if (v instanceof SafeTensors.Tensor t) {
            return t.dtype() + Arrays.toString(t.shape());
        }
        return String.valueOf(v);
    }
}
