package dev.deepq.train;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and overrides algorithm configs (Java records) by key, for the command line ({@code --set key=value}) and
 * presets. Keys are the record's component names in snake_case ({@code learning_rate}) or as written
 * ({@code learningRate}); values are parsed by the component's type. An unknown key or a value that does not parse is
 * an {@link IllegalArgumentException} naming the key, the value and what is valid; the record's own constructor then
 * checks ranges.
 */
public final class RecordConfigs {
    private RecordConfigs() {}

    /** {@code base} with the given keys replaced (values as strings, or already typed). */
    public static <R extends Record> R with(R base, Map<String, ?> overrides) {
        RecordComponent[] components = base.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = read(base, components[i]);
        }
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            int index = indexOf(components, e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("unknown config key '" + e.getKey() + "' for "
                        + base.getClass().getSimpleName() + "; valid keys: " + String.join(", ", keys(base)));
            }
            values[index] = parse(components[index], e.getKey(), e.getValue());
        }
        return construct(base, components, values);
    }

    /** Every key of the record, in snake_case, in declaration order. */
    public static List<String> keys(Record config) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            keys.add(snakeCase(c.getName()));
        }
        return keys;
    }

    /** The record as an ordered map from snake_case keys to values (enums as lower-case names, arrays as lists). */
    public static Map<String, Object> toMap(Record config) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object v = read(config, c);
            if (v instanceof Enum<?> en) {
                v = en.name().toLowerCase(Locale.ROOT);
            } else if (v instanceof int[] ints) {
                List<Integer> list = new ArrayList<>();
                for (int x : ints) {
                    list.add(x);
                }
                v = list;
            }
            map.put(snakeCase(c.getName()), v);
        }
        return map;
    }

    public static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static int indexOf(RecordComponent[] components, String key) {
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            if (name.equals(key) || snakeCase(name).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static Object read(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read config key " + c.getName(), e);
        }
    }

    private static Object parse(RecordComponent c, String key, Object value) {
        Class<?> type = c.getType();
        if (value != null && !(value instanceof String) && box(type).isInstance(value)) {
            return value;
        }
        String text = String.valueOf(value).trim();
        try {
            if (type == double.class) {
                return Double.parseDouble(text);
            }
            if (type == float.class) {
                return Float.parseFloat(text);
            }
            if (type == long.class) {
                return parseLong(text);
            }
            if (type == int.class) {
                return Math.toIntExact(parseLong(text));
            }
            if (type == boolean.class) {
                if (text.equalsIgnoreCase("true")) {
                    return true;
                }
                if (text.equalsIgnoreCase("false")) {
                    return false;
                }
                throw new IllegalArgumentException();
            }
            if (type == String.class) {
                return text;
            }
            if (type == int[].class) {
                String inner = text.replace("[", "").replace("]", "").trim();
                if (inner.isEmpty()) {
                    return new int[0];
                }
                String[] parts = inner.split("[,\\s]+");
                int[] out = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    out[i] = Integer.parseInt(parts[i]);
                }
                return out;
            }
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    String name = ((Enum<?>) constant).name();
                    if (name.equalsIgnoreCase(text) || name.equalsIgnoreCase(text.replace('-', '_'))) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException();
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config key '" + key + "' must be " + describe(type) + ", got '" + text + "'");
        }
        throw new IllegalStateException("config key '" + key + "' has unsupported type " + type.getSimpleName());
    }

    /** Integers may be written 500000, 500_000 or 5e5. */
    private static long parseLong(String text) {
        String t = text.replace("_", "");
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            double d = Double.parseDouble(t);
            if (d != Math.rint(d) || Math.abs(d) > 9.0e15) {
                throw e;
            }
            return (long) d;
        }
    }

    private static String describe(Class<?> type) {
        if (type == double.class || type == float.class) {
            return "a number";
        }
        if (type == long.class || type == int.class) {
            return "an integer";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        if (type == int[].class) {
            return "a list of integers like [64,64]";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
            }
            return "one of " + String.join(", ", names);
        }
        return "a " + type.getSimpleName();
    }

    private static Class<?> box(Class<?> type) {
        if (type == double.class) {
            return Double.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        return type;
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R construct(R base, RecordComponent[] components, Object[] values) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> ctor = base.getClass().getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return (R) ctor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("cannot build " + base.getClass().getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + base.getClass().getSimpleName(), e);
        }
    }

    /**
     * A config record whose keys grew over releases: for each key added after configs were first saved, the value
     * that behaves as deepq did before the key existed. A saved config without such a key agrees with a current
     * config holding that value, so checkpoints written before the key was added still resume.
     */
    public interface Evolving {
        Map<String, Object> valuesBeforeKeysExisted();
    }

    /**
     * Where a saved config (as read back from JSON) differs from {@code current}: {@code "key: saved X, now Y"} for
     * the first differing key, or null when every key agrees. Values compare by their JSON text. A key the saved
     * config lacks agrees only if {@code current} is {@link Evolving} and holds the key's value from before it existed.
     */
    public static String difference(Map<String, ?> saved, Record current) {
        Map<String, Object> now = toMap(current);
        Map<String, Object> before = current instanceof Evolving evolving ? evolving.valuesBeforeKeysExisted() : Map.of();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            if (!saved.containsKey(e.getKey())) {
                if (before.containsKey(e.getKey()) && dev.deepq.io.Json.write(before.get(e.getKey()))
                        .equals(dev.deepq.io.Json.write(e.getValue()))) {
                    continue;
                }
                return e.getKey() + ": not in the saved config";
            }
            String a = dev.deepq.io.Json.write(saved.get(e.getKey()));
            String b = dev.deepq.io.Json.write(e.getValue());
            if (!a.equals(b)) {
                return e.getKey() + ": saved " + a + ", now " + b;
            }
        }
        for (String key : saved.keySet()) {
            if (!now.containsKey(key)) {
                return key + ": saved, but unknown to " + current.getClass().getSimpleName();
            }
        }
        return null;
    }
}
