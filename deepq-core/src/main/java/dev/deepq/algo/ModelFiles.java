package dev.deepq.algo;

import dev.deepq.env.spaces.Space;
import dev.deepq.io.Json;
import dev.deepq.io.SafeTensors;
import dev.deepq.io.SpaceCodec;
import dev.deepq.nn.Network;
import dev.deepq.nn.ParameterView;
import dev.deepq.train.RecordConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every agent's model file shares: networks stored under a name prefix with PyTorch's parameter names, and a
 * {@code format}/{@code format_version} pair in the metadata that is checked before anything else is read.
 */
final class ModelFiles {
    private ModelFiles() {}

    /** Adds {@code network}'s parameters as tensors named {@code prefix + PyTorch name} (e.g. {@code q.0.weight}). */
    static void putNetwork(SafeTensors.Builder file, String prefix, Network network) {
        for (ParameterView v : network.parameterViews()) {
            file.putSlice(prefix + v.name(), network.parameters(), v.offset(), v.size(), v.shape());
        }
    }

    /** Reads {@code network}'s parameters from the tensors {@link #putNetwork} wrote (shapes are checked). */
    static void readNetwork(SafeTensors file, String prefix, Network network) {
        for (ParameterView v : network.parameterViews()) {
            file.readFloats(prefix + v.name(), network.parameters(), v.offset(), v.shape());
        }
    }

    /**
     * Reads {@code path} and returns its metadata after checking that it is a model of {@code format} at
     * {@code version}; otherwise an IOException names the file and says what it is ({@code what}: "DQN", "SAC", ...).
     */
    static SafeTensors readChecked(Path path, String format, int version, String what) throws IOException {
        SafeTensors file = SafeTensors.read(path);
        Map<String, String> meta = file.metadata();
        if (!format.equals(meta.get("format"))) {
            throw new IOException(path + ": not a deepq " + what + " model (format is " + meta.get("format")
                    + ", expected " + format + ")");
        }
        if (!Integer.toString(version).equals(meta.get("format_version"))) {
            throw new IOException(path + ": model format version " + meta.get("format_version")
                    + " is not supported; this deepq reads version " + version);
        }
        return file;
    }

    /**
     * Writes {@code file} (its tensors already added) to {@code path} atomically, with the metadata every model
     * carries: format and version, the config (snake_case keys) and both spaces.
     */
    static void write(Path path, SafeTensors.Builder file, String format, int version, Record config, Space observation,
                      Space action) throws IOException {
        file.metadata("format", format)
                .metadata("format_version", Integer.toString(version))
                .metadata("config", Json.write(RecordConfigs.toMap(config)))
                .metadata("observation_space", Json.write(SpaceCodec.toMap(observation)))
                .metadata("action_space", Json.write(SpaceCodec.toMap(action)))
                .write(path);
    }

    /** What {@link #write} recorded besides the tensors: the config over {@code defaults}, and the two spaces. */
    record Description<C extends Record>(C config, Space observation, Space action) {}

    /** Reads {@link #write}'s metadata; malformed entries throw IllegalArgumentException (callers name the file). */
    static <C extends Record> Description<C> describe(SafeTensors file, C defaults) {
        Map<String, String> meta = file.metadata();
        return new Description<>(RecordConfigs.with(defaults, Json.parseObject(meta.get("config"))),
                SpaceCodec.fromMap(Json.parse(meta.get("observation_space"))),
                SpaceCodec.fromMap(Json.parse(meta.get("action_space"))));
    }
}
