package dev.deepq.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors in the safetensors layout (Hugging Face's format): an 8-byte little-endian header length, a JSON header
 * mapping each name to {@code {"dtype", "shape", "data_offsets"}} plus optional string {@code __metadata__}, then the
 * raw little-endian data. Python reads deepq's files with {@code safetensors.numpy.load_file} or
 * {@code safetensors.torch.load_file}.
 *
 * <p>Reading checks everything a corrupt, truncated or foreign file could get wrong (length fields, JSON, dtypes,
 * shapes, offsets that must tile the data exactly) and reports it as an {@link IOException} naming the file and the
 * problem. Writing is atomic ({@link AtomicFiles}).
 */
public final class SafeTensors {
    /** Header sizes beyond this are refused as corrupt (the format's reference implementation uses 100 MB). */
    private static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA = "__metadata__";

    /** The element types deepq writes. */
    public enum DType {
        F32(4), F64(8), I64(8), I32(4), U8(1), BOOL(1);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** One tensor: its type, shape and little-endian bytes. */
    public record Tensor(DType dtype, int[] shape, byte[] data) {
        public long elementCount() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects tensors and metadata, then writes them. */
    public static final class Builder {
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        /** The F32 tensor {@code values[offset, offset + length)} (e.g. one network's slice of a flat array). */
        public Builder putSlice(String name, float[] values, int offset, int length, int... shape) {
            checkShape(name, length, shape);
            ByteBuffer b = ByteBuffer.allocate(length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values, offset, length);
            return add(name, new Tensor(DType.F32, shape.clone(), b.array()));
        }

        public Builder put(String name, float[] values, int... shape) {
            return putSlice(name, values, 0, values.length, shape);
        }

        public Builder put(String name, double[] values, int... shape) {
            checkShape(name, values.length, shape);
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(values);
            return add(name, new Tensor(DType.F64, shape.clone(), b.array()));
        }

        public Builder put(String name, long[] values, int... shape) {
            checkShape(name, values.length, shape);
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(values);
            return add(name, new Tensor(DType.I64, shape.clone(), b.array()));
        }

        public Builder put(String name, int[] values, int... shape) {
            checkShape(name, values.length, shape);
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(values);
            return add(name, new Tensor(DType.I32, shape.clone(), b.array()));
        }

        public Builder put(String name, byte[] values, int... shape) {
            checkShape(name, values.length, shape);
            return add(name, new Tensor(DType.U8, shape.clone(), values.clone()));
        }

        public Builder put(String name, boolean[] values, int... shape) {
            checkShape(name, values.length, shape);
            byte[] bytes = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                bytes[i] = (byte) (values[i] ? 1 : 0);
            }
            return add(name, new Tensor(DType.BOOL, shape.clone(), bytes));
        }

        /** A tensor as it is (dtype, shape and little-endian bytes, not copied). */
        public Builder putRaw(String name, Tensor tensor) {
            checkShape(name, tensor.data().length / tensor.dtype().bytes, tensor.shape());
            if (tensor.data().length % tensor.dtype().bytes != 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has " + tensor.data().length
                        + " bytes, not a whole number of " + tensor.dtype() + " elements");
            }
            return add(name, tensor);
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        private Builder add(String name, Tensor t) {
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            if (tensors.putIfAbsent(name, t) != null) {
                throw new IllegalArgumentException("tensor '" + name + "' was added twice");
            }
            return this;
        }

        private static void checkShape(String name, long length, int[] shape) {
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != length) {
                throw new IllegalArgumentException("tensor '" + name + "' has " + length + " elements but shape "
                        + Arrays.toString(shape) + " holds " + n);
            }
        }

        public SafeTensors build() {
            return new SafeTensors(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(metadata)));
        }

        /** Writes atomically to {@code path}. */
        public void write(Path path) throws IOException {
            build().write(path);
        }
    }

    /** The file's bytes: header then data, tensors in insertion order. */
    public byte[] toBytes() {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA, metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.dtype().name());
            entry.put("shape", t.shape());
            entry.put("data_offsets", new long[] {offset, offset + t.data().length});
            header.put(e.getKey(), entry);
            offset += t.data().length;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            out.put(t.data());
        }
        return out.array();
    }

    public void write(Path path) throws IOException {
        AtomicFiles.write(path, toBytes());
    }

    /** Reads and validates a file; any inconsistency is an IOException naming the file. */
    public static SafeTensors read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": file does not exist", e);
        }
        return parse(bytes, path.toString());
    }

    /** Parses file content; {@code source} names it in error messages. */
    @SuppressWarnings("unchecked")
    public static SafeTensors parse(byte[] bytes, String source) throws IOException {
        if (bytes.length < 8) {
            throw corrupt(source, "file is " + bytes.length + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > bytes.length - 8) {
            throw corrupt(source, "header length field says " + headerLength + " bytes but the file has "
                    + (bytes.length - 8) + " after it (truncated or not a safetensors file)");
        }
        String headerText;
        try {
            headerText = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) headerLength)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(source, "header is not valid UTF-8");
        }
        Map<String, Object> header;
        try {
            header = Json.parseObject(headerText.stripTrailing());
        } catch (Json.JsonException e) {
            throw corrupt(source, "header is not valid JSON (" + e.getMessage() + ")");
        }
        int dataStart = (int) (8 + headerLength);
        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        record Span(String name, long begin, long end) {}
        List<Span> spans = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw corrupt(source, "__metadata__ must be an object of strings");
                }
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String s)) {
                        throw corrupt(source, "__metadata__ value of '" + me.getKey() + "' is not a string");
                    }
                    metadata.put((String) me.getKey(), s);
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> entry)) {
                throw corrupt(source, "entry '" + name + "' is not an object");
            }
            DType dtype;
            try {
                dtype = DType.valueOf(String.valueOf(entry.get("dtype")));
            } catch (IllegalArgumentException ex) {
                throw corrupt(source, "tensor '" + name + "' has unsupported dtype " + entry.get("dtype")
                        + "; deepq reads " + Arrays.toString(DType.values()));
            }
            int[] shape = intList(entry.get("shape"), source, name, "shape");
            long[] offsets = longPair(entry.get("data_offsets"), source, name);
            long elements = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw corrupt(source, "tensor '" + name + "' has a negative dimension " + Arrays.toString(shape));
                }
                elements = Math.multiplyExact(elements, d);
            }
            if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength) {
                throw corrupt(source, "tensor '" + name + "' has data offsets " + Arrays.toString(offsets)
                        + " outside the " + dataLength + " data bytes (truncated file?)");
            }
            if (offsets[1] - offsets[0] != elements * dtype.bytes) {
                throw corrupt(source, "tensor '" + name + "' of shape " + Arrays.toString(shape) + " and dtype " + dtype
                        + " needs " + elements * dtype.bytes + " bytes but its offsets span " + (offsets[1] - offsets[0]));
            }
            spans.add(new Span(name, offsets[0], offsets[1]));
            byte[] data = Arrays.copyOfRange(bytes, (int) (dataStart + offsets[0]), (int) (dataStart + offsets[1]));
            tensors.put(name, new Tensor(dtype, shape, data));
        }
        spans.sort(Comparator.comparingLong(Span::begin).thenComparingLong(Span::end));
        long expected = 0;
        for (Span s : spans) {
            if (s.begin() != expected) {
                throw corrupt(source, "tensor '" + s.name() + "' starts at byte " + s.begin() + " but the previous data ends at "
                        + expected + " (overlapping or missing data)");
            }
            expected = s.end();
        }
        if (expected != dataLength) {
            throw corrupt(source, "the tensors cover " + expected + " data bytes but the file has " + dataLength);
        }
        return new SafeTensors(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static int[] intList(Object value, String source, String name, String field) throws IOException {
        if (!(value instanceof List<?> list)) {
            throw corrupt(source, "tensor '" + name + "' has no " + field + " list");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw corrupt(source, "tensor '" + name + "' has an invalid " + field + " " + list);
            }
            out[i] = (int) (long) l;
        }
        return out;
    }

    private static long[] longPair(Object value, String source, String name) throws IOException {
        if (!(value instanceof List<?> list) || list.size() != 2 || !(list.get(0) instanceof Long a) || !(list.get(1) instanceof Long b)) {
            throw corrupt(source, "tensor '" + name + "' has invalid data_offsets " + value);
        }
        return new long[] {a, b};
    }

    private static IOException corrupt(String source, String problem) {
        return new IOException(source + ": not a valid safetensors file: " + problem);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'; the file has " + tensors.keySet());
        }
        return t;
    }

    /**
     * The F32 tensor {@code name} copied into {@code out[offset..]}; its shape must equal {@code expectedShape}.
     * A missing tensor, another dtype or shape is an error naming the tensor and both shapes.
     */
    public void readFloats(String name, float[] out, int offset, int... expectedShape) {
        Tensor t = expect(name, DType.F32, expectedShape);
        ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, offset, (int) t.elementCount());
    }

    public float[] floats(String name) {
        Tensor t = expect(name, DType.F32, null);
        float[] out = new float[(int) t.elementCount()];
        ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public double[] doubles(String name) {
        Tensor t = expect(name, DType.F64, null);
        double[] out = new double[(int) t.elementCount()];
        ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    public long[] longs(String name) {
        Tensor t = expect(name, DType.I64, null);
        long[] out = new long[(int) t.elementCount()];
        ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    public int[] ints(String name) {
        Tensor t = expect(name, DType.I32, null);
        int[] out = new int[(int) t.elementCount()];
        ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    public boolean[] booleans(String name) {
        Tensor t = expect(name, DType.BOOL, null);
        boolean[] out = new boolean[t.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.data()[i] != 0;
        }
        return out;
    }

    private Tensor expect(String name, DType dtype, int[] expectedShape) {
        Tensor t = tensor(name);
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + t.dtype() + ", expected " + dtype);
        }
        if (expectedShape != null && !Arrays.equals(t.shape(), expectedShape)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but the model expects " + Arrays.toString(expectedShape));
        }
        return t;
    }
}
