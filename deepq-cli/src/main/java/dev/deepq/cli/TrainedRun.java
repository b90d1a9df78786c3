package dev.deepq.cli;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.train.Agent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A finished run folder opened for {@code eval} and {@code enjoy}: its config and its trained agent. */
record TrainedRun(Path dir, Preset config, Agent agent) {

    /** Opens {@code dir}; a missing folder, config or model is a user error saying what is missing. */
    static TrainedRun open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new Main.UserException("RUN: '" + dir + "' is not a run folder (no such directory)");
        }
        Path configFile = dir.resolve(RunFolder.CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new Main.UserException("RUN: '" + dir + "' has no " + RunFolder.CONFIG_FILE
                    + "; give a folder written by 'deepq train'");
        }
        Preset config = Presets.readFile(configFile);
        if (config.env() == null || config.algo() == null) {
            throw new Main.UserException(configFile + ": needs 'env' and 'algo'");
        }
        Path model = dir.resolve(RunFolder.MODEL_FILE);
        if (!Files.isRegularFile(model)) {
            throw new Main.UserException("RUN: '" + dir + "' has no " + RunFolder.MODEL_FILE
                    + " (the run did not finish, or its algorithm saves no model)");
        }
        Agent agent;
        try {
            agent = RunFolder.loadModel(model);
        } catch (IOException e) {
            throw new Main.UserException("cannot load the model: " + e.getMessage(), e);
        }
        return new TrainedRun(dir, config, agent);
    }

    String envId() {
        return config.env();
    }

    long seed() {
        return config.seed() == null ? 0 : config.seed();
    }

    /** The run's env for evaluation (with {@link RunSettings#evalTimeLimit}'s limit when it has none of its own). */
    Env makeEnv() {
        try {
            return Envs.make(config.env(), config.envOptions(), RunSettings.evalTimeLimit(config.env()));
        } catch (IllegalArgumentException e) {
            throw new Main.UserException(config.origin() + ": " + e.getMessage(), e);
        }
    }
}
