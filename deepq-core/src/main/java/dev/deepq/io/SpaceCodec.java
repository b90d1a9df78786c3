package dev.deepq.io;

import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiBinary;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.env.spaces.Space;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spaces as JSON-ready maps and back, for model files and checkpoints (infinite Box bounds as the strings "inf"/"-inf"). */
public final class SpaceCodec {
    private SpaceCodec() {}

    public static Map<String, Object> toMap(Space space) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (space) {
            case Discrete d -> {
                m.put("type", "Discrete");
                m.put("n", d.n());
                m.put("start", d.start());
            }
            case MultiDiscrete md -> {
                m.put("type", "MultiDiscrete");
                m.put("nvec", md.nvec());
            }
            case MultiBinary mb -> {
                m.put("type", "MultiBinary");
                m.put("n", mb.n());
            }
            case Box b -> {
                m.put("type", "Box");
                m.put("shape", b.shape());
                m.put("dtype", b.dtype().numpyName());
                m.put("low", bounds(b.low()));
                m.put("high", bounds(b.high()));
            }
        }
        return m;
    }

    private static List<Object> bounds(double[] values) {
        List<Object> out = new java.util.ArrayList<>();
        for (double v : values) {
            out.add(Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : (Object) v);
        }
        return out;
    }

    /** The space described by {@code map}; a malformed description is an {@link IllegalArgumentException} saying what. */
    public static Space fromMap(Object description) {
        if (!(description instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a space description must be an object, got " + description);
        }
        Object type = m.get("type");
        try {
            return switch (String.valueOf(type)) {
                case "Discrete" -> new Discrete(intOf(m.get("n")), intOf(m.get("start")));
                case "MultiDiscrete" -> new MultiDiscrete(ints(m.get("nvec")));
                case "MultiBinary" -> new MultiBinary(intOf(m.get("n")));
                case "Box" -> new Box(doubles(m.get("low")), doubles(m.get("high")), ints(m.get("shape")),
                        DType.fromNumpyName(String.valueOf(m.get("dtype"))));
                default -> throw new IllegalArgumentException("unknown space type " + type);
            };
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("malformed " + type + " space description " + m);
        }
    }

    private static int intOf(Object o) {
        return Math.toIntExact((Long) o);
    }

    private static int[] ints(Object o) {
        List<?> list = (List<?>) o;
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = intOf(list.get(i));
        }
        return out;
    }

    private static double[] doubles(Object o) {
        List<?> list = (List<?>) o;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            out[i] = switch (v) {
                case String s when s.equals("inf") -> Double.POSITIVE_INFINITY;
                case String s when s.equals("-inf") -> Double.NEGATIVE_INFINITY;
                case Number n -> n.doubleValue();
                default -> throw new IllegalArgumentException("bad bound " + v);
            };
        }
        return out;
    }
}
