package dev.deepq.train;

import dev.deepq.io.AtomicFiles;
import dev.deepq.io.Json;
import dev.deepq.io.SafeTensors;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateSnapshot;
import dev.deepq.state.StateWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One checkpoint of a training run, as data: a directory holding {@value #MANIFEST} (format, version, run
 * description, counters, generator states, per-tensor checksums and a checksum of the manifest body) and
 * {@value #TENSORS} (every array in the safetensors layout, so Python's {@code safetensors} reads the weights).
 * See {@code docs/CHECKPOINTS.md} for the layout.
 *
 * <p>{@link #read} validates everything before returning: the manifest's format, version and checksum, the
 * safetensors structure, each tensor's presence, dtype, shape and CRC-32. {@link #restoreInto} then checks that the
 * checkpoint belongs to the given run (env id, number of envs, agent type and config, seed, total steps) before it
 * restores anything. Every refusal is a {@link CheckpointException} naming the file and the problem.
 *
 * <p>Use {@link Checkpoints} for a folder of checkpoints written atomically during training.
 */
public final class Checkpoint {
    /** The format name in every manifest. */
    public static final String FORMAT = "deepq.checkpoint";
    /** The manifest format version this deepq writes and reads. */
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String TENSORS = "tensors.safetensors";
    private static final String BODY_KEY = ",\"body\":";

    private final Path directory;
    private final Map<String, Object> body;
    private final StateSnapshot state;

    private Checkpoint(Path directory, Map<String, Object> body, StateSnapshot state) {
        this.directory = directory;
        this.body = body;
        this.state = state;
    }

    // ---- writing ----

    /**
     * Writes the trainer's run into the (new or empty) directory {@code directory}; each file is written atomically.
     * {@link Checkpoints#write} puts a whole checkpoint in place atomically.
     */
    public static void write(Path directory, Trainer trainer) throws IOException {
        StateWriter writer = new StateWriter();
        trainer.saveState(writer);
        StateSnapshot state = writer.snapshot();

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("step", trainer.step());
        body.put("seed", trainer.seed());
        body.put("total_steps", trainer.totalSteps());
        body.put("env_id", trainer.env().id());
        body.put("num_envs", trainer.env().numEnvs());
        body.put("agent", trainer.agent().getClass().getName());
        Record config = trainer.agent().config();
        body.put("config", config == null ? null : RecordConfigs.toMap(config));
        body.put("tensors_file", TENSORS);
        writeFiles(directory, body, state);
    }

    /** Writes {@code state} with the run description {@code header} (step, seed, env, agent, config). */
    static void writeFiles(Path directory, Map<String, Object> header, StateSnapshot state) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>(header);

        Map<String, Object> tensors = new LinkedHashMap<>();
        Map<String, Object> ints = new LinkedHashMap<>();
        Map<String, Object> floats = new LinkedHashMap<>();
        Map<String, Object> bools = new LinkedHashMap<>();
        Map<String, Object> strings = new LinkedHashMap<>();
        Map<String, Object> rngs = new LinkedHashMap<>();
        SafeTensors.Builder file = SafeTensors.builder();
        for (Map.Entry<String, Object> e : state.entries().entrySet()) {
            String name = e.getKey();
            switch (e.getValue()) {
                case SafeTensors.Tensor t -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("dtype", t.dtype().name());
                    entry.put("shape", t.shape());
                    entry.put("crc32", crc32(t.data()));
                    tensors.put(name, entry);
                    file.putRaw(name, t);
                }
                case Long v -> ints.put(name, v);
                case Double v -> floats.put(name, Double.isFinite(v) ? v : Double.toString(v));
                case Boolean v -> bools.put(name, v);
                case String v -> strings.put(name, v);
                case StateSnapshot.RngState r -> rngs.put(name, r.words());
                default -> throw new IllegalStateException("unexpected state value for '" + name + "'");
            }
        }
        body.put("tensors", tensors);
        Map<String, Object> scalars = new LinkedHashMap<>();
        scalars.put("ints", ints);
        scalars.put("floats", floats);
        scalars.put("bools", bools);
        scalars.put("strings", strings);
        scalars.put("rngs", rngs);
        body.put("scalars", scalars);

        String bodyText = Json.write(body);
        String bodyCrc = crc32(bodyText.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"format\":" + Json.write(FORMAT) + ",\"format_version\":" + FORMAT_VERSION
                + ",\"body_crc32\":" + Json.write(bodyCrc) + BODY_KEY + bodyText + "}\n";
        Files.createDirectories(directory);
        file.metadata("format", FORMAT + ".tensors")
                .metadata("format_version", Integer.toString(FORMAT_VERSION))
                .metadata("manifest_body_crc32", bodyCrc)
                .write(directory.resolve(TENSORS));
        AtomicFiles.write(directory.resolve(MANIFEST), manifest.getBytes(StandardCharsets.UTF_8));
    }

    // ---- reading ----

    /** Reads and fully validates the checkpoint in {@code directory}. */
    public static Checkpoint read(Path directory) throws CheckpointException {
        Path manifestPath = directory.resolve(MANIFEST);
        Path tensorsPath = directory.resolve(TENSORS);
        Map<String, Object> body = readManifest(manifestPath);
        String bodyCrc = (String) body.remove("__crc32");

        SafeTensors file;
        try {
            file = SafeTensors.read(tensorsPath);
        } catch (IOException e) {
            throw new CheckpointException(tensorsPath, "cannot be read: " + stripPath(e.getMessage(), tensorsPath), e);
        }
        Map<String, String> meta = file.metadata();
        if (!(FORMAT + ".tensors").equals(meta.get("format"))) {
            throw new CheckpointException(tensorsPath, "is not a deepq checkpoint's tensor file (format is "
                    + meta.get("format") + ", expected " + FORMAT + ".tensors)");
        }
        if (!Integer.toString(FORMAT_VERSION).equals(meta.get("format_version"))) {
            throw new CheckpointException(tensorsPath, "has format version " + meta.get("format_version")
                    + ", but this deepq reads version " + FORMAT_VERSION);
        }
        if (!bodyCrc.equals(meta.get("manifest_body_crc32"))) {
            throw new CheckpointException(tensorsPath, "belongs to another manifest (manifest body CRC-32 "
                    + meta.get("manifest_body_crc32") + ", " + MANIFEST + " has " + bodyCrc + ")");
        }

        Map<String, Object> entries = new LinkedHashMap<>();
        Map<String, Object> tensors = object(body, "tensors", manifestPath);
        for (Map.Entry<String, Object> e : tensors.entrySet()) {
            String name = e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> described)) {
                throw new CheckpointException(manifestPath, "tensor entry '" + name + "' is not an object");
            }
            if (!file.has(name)) {
                throw new CheckpointException(tensorsPath, "missing tensor '" + name + "' (listed in " + MANIFEST + ")");
            }
            SafeTensors.Tensor t = file.tensor(name);
            String dtype = String.valueOf(described.get("dtype"));
            String shape = Json.write(described.get("shape"));
            if (!t.dtype().name().equals(dtype) || !Json.write(t.shape()).equals(shape)) {
                throw new CheckpointException(tensorsPath, "tensor '" + name + "' is " + t.dtype()
                        + Arrays.toString(t.shape()) + " but " + MANIFEST + " says " + dtype + shape);
            }
            if (!crc32(t.data()).equals(described.get("crc32"))) {
                throw new CheckpointException(tensorsPath, "tensor '" + name + "' fails its CRC-32 check (the data is"
                        + " corrupted)");
            }
            entries.put(name, t);
        }
        for (String name : file.names()) {
            if (!tensors.containsKey(name)) {
                throw new CheckpointException(tensorsPath, "unexpected tensor '" + name + "' (not in " + MANIFEST + ")");
            }
        }
        readScalars(object(body, "scalars", manifestPath), entries, manifestPath);
        return new Checkpoint(directory, body, StateSnapshot.of(entries));
    }

    private static Map<String, Object> readManifest(Path path) throws CheckpointException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path, "does not exist (not a checkpoint directory, or an incomplete one)");
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot be read: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(path, "is not a deepq checkpoint manifest (not UTF-8 text)");
        }
        Map<String, Object> manifest;
        try {
            manifest = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw new CheckpointException(path, "is not a deepq checkpoint manifest (truncated or corrupted JSON: "
                    + e.getMessage() + ")");
        }
        if (!FORMAT.equals(manifest.get("format"))) {
            throw new CheckpointException(path, "is not a deepq checkpoint manifest (format is "
                    + Json.write(manifest.get("format")) + ", expected \"" + FORMAT + "\")");
        }
        Object version = manifest.get("format_version");
        if (!(version instanceof Long v) || v != FORMAT_VERSION) {
            throw new CheckpointException(path, "has format version " + Json.write(version) + ", but this deepq reads"
                    + " version " + FORMAT_VERSION);
        }
        if (!text.endsWith("}\n")) {
            throw new CheckpointException(path, "is truncated (a manifest ends with '}' and a newline)");
        }
        if (!(manifest.get("body_crc32") instanceof String crc) || !(manifest.get("body") instanceof Map<?, ?>)) {
            throw new CheckpointException(path, "lacks its body or body checksum");
        }
        // The checksum covers the body's exact bytes as written, so any change to them (even a harmless-looking one)
        // is caught; the body is the text between the body key and the closing brace.
        String trimmed = text.stripTrailing();
        int start = trimmed.indexOf(BODY_KEY);
        String bodyText = start < 0 || !trimmed.endsWith("}") ? ""
                : trimmed.substring(start + BODY_KEY.length(), trimmed.length() - 1);
        String actual = crc32(bodyText.getBytes(StandardCharsets.UTF_8));
        if (!actual.equals(crc)) {
            throw new CheckpointException(path, "fails its checksum (body CRC-32 is " + actual + ", the manifest says "
                    + crc + "): the file was modified or corrupted");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) manifest.get("body"));
        for (String key : List.of("step", "seed", "total_steps", "num_envs")) {
            if (!(body.get(key) instanceof Long)) {
                throw new CheckpointException(path, "field '" + key + "' is missing or not an integer");
            }
        }
        for (String key : List.of("env_id", "agent")) {
            if (!(body.get(key) instanceof String)) {
                throw new CheckpointException(path, "field '" + key + "' is missing or not a string");
            }
        }
        body.put("__crc32", crc);
        return body;
    }

    private static void readScalars(Map<String, Object> scalars, Map<String, Object> into, Path path)
            throws CheckpointException {
        for (Map.Entry<String, Object> e : object(scalars, "ints", path).entrySet()) {
            if (!(e.getValue() instanceof Long v)) {
                throw new CheckpointException(path, "scalar '" + e.getKey() + "' must be an integer");
            }
            into.put(e.getKey(), v);
        }
        for (Map.Entry<String, Object> e : object(scalars, "floats", path).entrySet()) {
            Object v = e.getValue();
            if (v instanceof Double d) {
                into.put(e.getKey(), d);
            } else if (v instanceof String s && List.of("NaN", "Infinity", "-Infinity").contains(s)) {
                into.put(e.getKey(), Double.parseDouble(s));
            } else {
                throw new CheckpointException(path, "scalar '" + e.getKey() + "' must be a float, got " + Json.write(v));
            }
        }
        for (Map.Entry<String, Object> e : object(scalars, "bools", path).entrySet()) {
            if (!(e.getValue() instanceof Boolean v)) {
                throw new CheckpointException(path, "scalar '" + e.getKey() + "' must be a boolean");
            }
            into.put(e.getKey(), v);
        }
        for (Map.Entry<String, Object> e : object(scalars, "strings", path).entrySet()) {
            if (!(e.getValue() instanceof String v)) {
                throw new CheckpointException(path, "scalar '" + e.getKey() + "' must be a string");
            }
            into.put(e.getKey(), v);
        }
        for (Map.Entry<String, Object> e : object(scalars, "rngs", path).entrySet()) {
            if (!(e.getValue() instanceof List<?> list) || list.size() != 6
                    || !list.stream().allMatch(Long.class::isInstance)) {
                throw new CheckpointException(path, "generator state '" + e.getKey() + "' must be a list of 6 integers");
            }
            long[] words = new long[6];
            for (int i = 0; i < 6; i++) {
                words[i] = (Long) list.get(i);
            }
            if ((words[3] & 1) == 0) {
                throw new CheckpointException(path, "generator state '" + e.getKey() + "' is invalid (even increment)");
            }
            if (into.put(e.getKey(), new StateSnapshot.RngState(words)) != null) {
                throw new CheckpointException(path, "state '" + e.getKey() + "' appears twice");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String key, Path path)
            throws CheckpointException {
        if (!(parent.get(key) instanceof Map<?, ?> m)) {
            throw new CheckpointException(path, "field '" + key + "' is missing or not an object");
        }
        return (Map<String, Object>) m;
    }

    // ---- restoring ----

    /**
     * Restores this checkpoint into {@code trainer}, a trainer built afresh for the same run and not yet run: the
     * env id, number of envs, agent type and config and seed must match; its total steps may differ from the saved
     * run's (to extend or shorten it) but not be below the saved step. After this, {@code trainer.run()} continues the
     * run. If it throws, discard the trainer, agent and env: they may be partly restored.
     */
    public void restoreInto(Trainer trainer) throws CheckpointException {
        Path manifest = directory.resolve(MANIFEST);
        expect(manifest, "env_id", trainer.env().id(), "is for env");
        expect(manifest, "num_envs", (long) trainer.env().numEnvs(), "was written with num_envs");
        expect(manifest, "agent", trainer.agent().getClass().getName(), "was written by agent");
        expect(manifest, "seed", trainer.seed(), "was written with seed");
        if (step() > trainer.totalSteps()) {
            throw new CheckpointException(manifest, "was written at step " + step() + ", beyond this run's total of "
                    + trainer.totalSteps() + " steps");
        }
        Record config = trainer.agent().config();
        if (config != null) {
            if (!(body.get("config") instanceof Map<?, ?> saved)) {
                throw new CheckpointException(manifest, "has no config, but this run's agent has one");
            }
            @SuppressWarnings("unchecked")
            String difference = RecordConfigs.difference((Map<String, ?>) saved, config);
            if (difference != null) {
                throw new CheckpointException(manifest, "was written with another config (" + difference + ")");
            }
        }
        try {
            trainer.restoreState(new StateReader(state));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new CheckpointException(directory, "does not fit this run: " + e.getMessage(), e);
        }
    }

    private void expect(Path manifest, String key, Object actual, String what) throws CheckpointException {
        if (!actual.equals(body.get(key))) {
            throw new CheckpointException(manifest, what + " " + Json.write(body.get(key)) + ", but this run has "
                    + Json.write(actual));
        }
    }

    // ---- accessors ----

    public Path directory() {
        return directory;
    }

    /** Env steps taken when the checkpoint was written. */
    public long step() {
        return (Long) body.get("step");
    }

    public String envId() {
        return (String) body.get("env_id");
    }

    public int numEnvs() {
        return Math.toIntExact((Long) body.get("num_envs"));
    }

    public long seed() {
        return (Long) body.get("seed");
    }

    public long totalSteps() {
        return (Long) body.get("total_steps");
    }

    /** The agent's class name. */
    public String agent() {
        return (String) body.get("agent");
    }

    /** The agent's config as written (snake_case keys), or null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> config() {
        return body.get("config") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** Every saved value, by name (read-only). */
    public StateSnapshot state() {
        return state;
    }

    /** The run description without the state (for tools and tests that rewrite a checkpoint). */
    Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>(body);
        header.remove("tensors");
        header.remove("scalars");
        return header;
    }

    static String crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private static String stripPath(String message, Path path) {
        String prefix = path + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** Names of the tensors, for tools. */
    public List<String> tensorNames() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Object> e : state.entries().entrySet()) {
            if (e.getValue() instanceof SafeTensors.Tensor) {
                names.add(e.getKey());
            }
        }
        return names;
    }
}
