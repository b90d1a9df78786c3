package dev.deepq.env;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword options an env is made with ({@code gymnasium.make(id, **kwargs)}): the registration's defaults
 * overlaid with the caller's. Values may be typed Java values or strings (from a command line or YAML); the typed
 * getters convert, and a value that cannot be converted is an error naming the env, the option and the value.
 */
public final class EnvOptions {
    private final String envId;
    private final Map<String, Object> values;

    public EnvOptions(String envId, Map<String, Object> values) {
        this.envId = envId;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String envId() {
        return envId;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean isNull(String key) {
        return raw(key) == null;
    }

    public Object raw(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(envId + " has no option '" + key + "'; its options are " + values.keySet());
        }
        return values.get(key);
    }

    public int getInt(String key) {
        Object v = raw(key);
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Math.toIntExact(((Number) v).longValue());
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw bad(key, v, "an integer");
            }
        }
        throw bad(key, v, "an integer");
    }

    public double getDouble(String key) {
        Object v = raw(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw bad(key, v, "a number");
            }
        }
        throw bad(key, v, "a number");
    }

    public boolean getBoolean(String key) {
        Object v = raw(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT);
            if (t.equals("true")) {
                return true;
            }
            if (t.equals("false")) {
                return false;
            }
        }
        throw bad(key, v, "true or false");
    }

    /** A string option; null stays null. */
    public String getString(String key) {
        Object v = raw(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw bad(key, v, "a string");
    }

    /**
     * A list of strings (e.g. a FrozenLake map); null stays null. A single string is split on commas, so
     * {@code desc=SFFF,FHFH,FFFH,HFFG} works on a command line.
     */
    public List<String> getStringList(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            List<String> parts = new ArrayList<>();
            for (String p : s.split(",")) {
                parts.add(p.trim());
            }
            return parts;
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String str)) {
                    throw bad(key, v, "a list of strings");
                }
                out.add(str);
            }
            return out;
        }
        if (v instanceof String[] arr) {
            return List.of(arr);
        }
        throw bad(key, v, "a list of strings");
    }

    private IllegalArgumentException bad(String key, Object value, String expected) {
        return new IllegalArgumentException(envId + ": option '" + key + "' must be " + expected + ", got '" + value + "'");
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
