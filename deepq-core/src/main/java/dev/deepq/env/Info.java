package dev.deepq.env;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-step {@code info} of Gymnasium, without allocation: a small map from names to numbers that an env
 * clears and refills on every reset and step. Keys are compared with {@code equals}; use constants.
 */
public final class Info {
    private String[] keys = new String[4];
    private double[] values = new double[4];
    private int size;

    public void clear() {
        size = 0;
    }

    public void put(String key, double value) {
        int i = indexOf(key);
        if (i < 0) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            i = size++;
            keys[i] = key;
        }
        values[i] = value;
    }

    public boolean has(String key) {
        return indexOf(key) >= 0;
    }

    /** The value of {@code key}; an error naming the present keys if it is absent. */
    public double get(String key) {
        int i = indexOf(key);
        if (i < 0) {
            throw new IllegalArgumentException("info has no key '" + key + "'; it has " + toMap().keySet());
        }
        return values[i];
    }

    public double getOrDefault(String key, double fallback) {
        int i = indexOf(key);
        return i < 0 ? fallback : values[i];
    }

    public int size() {
        return size;
    }

    public String key(int index) {
        return keys[index];
    }

    public double value(int index) {
        return values[index];
    }

    /** Copies every entry of {@code other} into this info. */
    public void putAll(Info other) {
        for (int i = 0; i < other.size; i++) {
            put(other.keys[i], other.values[i]);
        }
    }

    /** A snapshot, for logging and tests (allocates). */
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(keys[i], values[i]);
        }
        return map;
    }

    private int indexOf(String key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key || keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
