package dev.deepq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deepq.algo.Algorithm;
import dev.deepq.algo.Algorithms;
import dev.deepq.algo.Dqn;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import dev.deepq.train.Agent;
import dev.deepq.train.EpisodeMetricsRecorder;
import dev.deepq.train.RecordConfigs;
import dev.deepq.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code deepq train ENV --algo A}: trains an agent, evaluates it greedily, and writes {@code summary.json} and
 * {@code metrics.csv} into {@code --out}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an agent and write summary.json (final evaluation, training returns, timing, config) and metrics.csv.")
final class TrainCommand implements Runnable {
    /** The evaluation env's seed is the run seed plus this, so evaluation never replays training episodes. */
    static final long EVAL_SEED_OFFSET = 1_000_000L;
    /** The trained network of neural agents, in safetensors layout (see {@link Dqn#save}). */
    static final String MODEL_FILE = "model.safetensors";

    @Parameters(index = "0", paramLabel = "ENV", description = "Environment id (see 'deepq envs').")
    String envId;

    @Option(names = "--algo", required = true, description = "Algorithm: ${COMPLETION-CANDIDATES}.",
            completionCandidates = AlgorithmNames.class)
    String algo;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", description = "Total env steps (default: the algorithm's).")
    Long steps;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a hyperparameter (repeatable), e.g. --set learning_rate=1e-3.")
    List<String> overrides;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "Env option (repeatable), e.g. -o is_slippery=false.")
    List<String> envOptions;

    @Option(names = "--eval-episodes", defaultValue = "10", description = "Greedy evaluation episodes at the end (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--env-threads", defaultValue = "1",
            description = "Threads stepping the vector env's copies (results are identical for any count; default: ${DEFAULT-VALUE}).")
    int envThreads;

    @Spec
    CommandSpec spec;

    static final class AlgorithmNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Algorithms.names().iterator();
        }
    }

    @Override
    public void run() {
        if (seed < 0) {
            throw new Main.UserException("--seed must be a non-negative integer, got " + seed);
        }
        if (steps != null && steps <= 0) {
            throw new Main.UserException("--steps must be positive, got " + steps);
        }
        if (envThreads <= 0) {
            throw new Main.UserException("--env-threads must be positive, got " + envThreads);
        }
        if (evalEpisodes <= 0) {
            throw new Main.UserException("--eval-episodes must be positive, got " + evalEpisodes);
        }
        Algorithm<?> algorithm = Algorithms.get(algo);
        Map<String, Object> envOpts = EnvOptionParser.parse(envOptions);
        Envs.spec(envId);
        run(algorithm, envOpts);
    }

    private <C extends Record> void run(Algorithm<C> algorithm, Map<String, Object> envOpts) {
        Map<String, String> keyValues = parseOverrides(overrides);
        if (steps != null) {
            keyValues.put("total_steps", Long.toString(steps));
        }
        C config = RecordConfigs.with(algorithm.defaults(), keyValues);
        long totalSteps = algorithm.totalSteps(config);
        PrintWriterHolder.ensureDirectory(out);

        int numEnvs = algorithm.numEnvs(config);
        VectorEnv env = VectorEnvs.make(envId, envOpts, numEnvs, Math.min(envThreads, numEnvs));
        Agent agent = algorithm.create(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        EpisodeMetricsRecorder recorder = new EpisodeMetricsRecorder();
        Trainer trainer = new Trainer(env, agent, totalSteps, seed).callback(recorder);
        long start = System.nanoTime();
        trainer.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        env.close();

        EpisodeStats eval;
        try (Env evalEnv = Envs.make(envId, envOpts)) {
            eval = Evaluation.run(agent, evalEnv, evalEpisodes, seed + EVAL_SEED_OFFSET);
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("env", envId);
        summary.put("env_options", envOpts);
        summary.put("algo", algorithm.name());
        summary.put("seed", seed);
        summary.put("total_steps", totalSteps);
        summary.put("steps_taken", trainer.step());
        Map<String, Object> finalEval = new LinkedHashMap<>();
        finalEval.put("episodes", evalEpisodes);
        finalEval.put("seed", seed + EVAL_SEED_OFFSET);
        finalEval.put("mean", eval.mean());
        finalEval.put("std", eval.std());
        finalEval.put("min", eval.min());
        finalEval.put("max", eval.max());
        finalEval.put("returns", eval.returns());
        summary.put("final_eval", finalEval);
        summary.put("train_episodes", trainer.episodes().size());
        summary.put("train_episode_returns", trainer.episodes().returns());
        summary.put("train_episode_lengths", trainer.episodes().lengths());
        summary.put("config", RecordConfigs.toMap(config));
        // Timing is the only part of the summary that differs between identical runs.
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("wall_time_s", seconds);
        timing.put("steps_per_s", trainer.step() / seconds);
        summary.put("timing", timing);
        summary.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));

        try {
            writeAtomically(out.resolve("summary.json"), w -> w.write(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary) + "\n"));
            writeAtomically(out.resolve("metrics.csv"), recorder::writeCsv);
            if (agent instanceof Dqn dqn) {
                dqn.save(out.resolve(MODEL_FILE));
            }
        } catch (IOException e) {
            throw new Main.UserException("cannot write to " + out + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s on %s, seed %d: %d steps in %.1f s (%.0f steps/s); greedy eval over %d episodes: %.2f ± %.2f%n"
                        + "wrote %s, %s%s%n",
                algorithm.name(), envId, seed, trainer.step(), seconds, trainer.step() / seconds, evalEpisodes,
                eval.mean(), eval.std(), out.resolve("summary.json"), out.resolve("metrics.csv"),
                agent instanceof Dqn ? " and " + out.resolve(MODEL_FILE) : "");
    }

    static Map<String, String> parseOverrides(List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        if (pairs == null) {
            return map;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Main.UserException("--set '" + pair + "' must look like key=value");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }

    interface WriterBody {
        void write(Writer w) throws IOException;
    }

    /** Writes to a temporary file in the same directory, then renames it over the target. */
    static void writeAtomically(Path target, WriterBody body) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            body.write(w);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static final class PrintWriterHolder {
        static void ensureDirectory(Path dir) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new Main.UserException("cannot create output directory " + dir + ": " + e.getMessage(), e);
            }
            if (!Files.isWritable(dir)) {
                throw new Main.UserException("output directory " + dir + " is not writable");
            }
        }
    }
}
