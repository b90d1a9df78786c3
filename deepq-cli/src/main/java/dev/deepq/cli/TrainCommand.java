package dev.deepq.cli;

import dev.deepq.algo.Algorithms;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Aggregates;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.train.Agent;
import dev.deepq.train.EpisodeMetricsRecorder;
import dev.deepq.train.PeriodicEvaluation;
import dev.deepq.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepq train [ENV]}: trains an agent (by default DQN on CartPole-v1 with its tuned preset), evaluating it
 * periodically, and writes a run folder (see {@link RunFolder}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an agent and write a run folder: config.yaml, metrics.csv, eval.csv, model.safetensors, "
                + "learning_curve.png, summary.json.",
                "With no arguments: DQN on CartPole-v1 with RL Zoo's tuned preset (dqn-CartPole-v1)."})
final class TrainCommand implements Runnable {
    /** The evaluation env's seed is the run seed plus this, so evaluation never replays training episodes. */
    static final long EVAL_SEED_OFFSET = 1_000_000L;
    /** The trained agent (see {@link RunFolder#saveModel}). */
    static final String MODEL_FILE = RunFolder.MODEL_FILE;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENV",
            description = "Environment id (see 'deepq envs'; default: the preset's, else CartPole-v1).")
    String envId;

    @Option(names = "--algo", paramLabel = "ALGO", completionCandidates = AlgorithmNames.class,
            description = "Algorithm: ${COMPLETION-CANDIDATES} (default: the preset's, else dqn; qlearning for "
                    + "Discrete observations).")
    String algo;

    @Option(names = "--preset", paramLabel = "NAME|FILE",
            description = "Hyperparameters: a shipped preset (see 'deepq presets'), a YAML file, a run folder or its "
                    + "config.yaml (repeats that run), or 'none' for the algorithm's defaults (default: the tuned "
                    + "preset for ENV and ALGO when one ships).")
    String preset;

    @Option(names = "--seed", paramLabel = "S", description = "Run seed (default: the preset file's, else 0).")
    Long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Total env steps (default: the preset's or the algorithm's).")
    Long steps;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a hyperparameter (repeatable), e.g. --set learning_rate=1e-3.")
    List<String> overrides;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "Env option (repeatable), e.g. -o is_slippery=false.")
    List<String> envOptions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: RUNS_DIR/<env>__<algo>__<seed>__<timestamp>).")
    Path out;

    @Option(names = "--runs-dir", paramLabel = "RUNS_DIR", defaultValue = "runs",
            description = "Where new run folders go when --out is not given (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--eval-episodes", paramLabel = "N",
            description = "Greedy episodes per evaluation, and of the final one (default: 10).")
    Integer evalEpisodes;

    @Option(names = "--eval-freq", paramLabel = "STEPS",
            description = "Env steps between evaluations (default: a twentieth of the run).")
    Long evalFrequency;

    @Option(names = "--env-threads", defaultValue = "1",
            description = "Threads stepping the vector env's copies (results are identical for any count; default: ${DEFAULT-VALUE}).")
    int envThreads;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else plain lines), bar, plain, none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between plain progress lines (default: ${DEFAULT-VALUE}).")
    double progressInterval;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

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
        if (envThreads <= 0) {
            throw new Main.UserException("--env-threads must be positive, got " + envThreads);
        }
        if (!(progressInterval >= 0)) {
            throw new Main.UserException("--progress-interval must be >= 0 seconds, got " + progressInterval);
        }
        TrainingProgress.Mode progressMode = progressMode(progress);
        RunSettings run = RunSettings.resolve(envId, algo, preset, seed, steps, overrides,
                EnvOptionParser.parse(envOptions), evalEpisodes, evalFrequency);

        int numEnvs = run.numEnvs();
        VectorEnv env = VectorEnvs.make(run.envId(), run.envOptions(), numEnvs, Math.min(envThreads, numEnvs));
        Agent agent;
        try {
            agent = run.createAgent(env.singleObservationSpace(), env.singleActionSpace());
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
        Path dir = out != null ? out : RunFolder.newRunPath(runsDir, run.envId(), run.algorithm().name(), run.seed(),
                LocalDateTime.now());
        RunFolder.create(dir);
        try {
            RunFolder.writeYaml(dir.resolve(RunFolder.CONFIG_FILE), configHeader(dir), configYaml(run));
        } catch (IOException e) {
            env.close();
            throw new Main.UserException("cannot write to " + dir + ": " + e.getMessage(), e);
        }

        long evalSeed = run.seed() + EVAL_SEED_OFFSET;
        EpisodeMetricsRecorder recorder = new EpisodeMetricsRecorder();
        PrintWriter err = spec.commandLine().getErr();
        Trainer trainer;
        PeriodicEvaluation evaluation;
        String started = OffsetDateTime.now().toString();
        long start = System.nanoTime();
        try (Env evalEnv = Envs.make(run.envId(), run.envOptions(), RunSettings.evalTimeLimit(run.envId()))) {
            evaluation = new PeriodicEvaluation(evalEnv, run.evalFrequency(), run.evalEpisodes(), evalSeed);
            String label = run.algorithm().name() + " " + run.envId();
            TrainingProgress.Mode mode = TrainingProgress.resolve(progressMode, quiet, Main.usesProcessStreams());
            trainer = new Trainer(env, agent, run.totalSteps(), run.seed())
                    .callback(recorder)
                    .callback(evaluation)
                    .callback(new TrainingProgress(mode, label, err, System.err, progressInterval, evaluation));
            trainer.run();
        } finally {
            env.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        EpisodeStats finalEval = evaluation.latest().stats();

        Map<String, Object> summary = summary(run, trainer, evaluation, evalSeed, started, seconds);
        List<String> notes = new ArrayList<>();
        try {
            RunFolder.writeEvalCsv(dir.resolve(RunFolder.EVAL_FILE), evaluation.results());
            dev.deepq.io.AtomicFiles.write(dir.resolve(RunFolder.METRICS_FILE), o -> {
                StringWriter csv = new StringWriter();
                recorder.writeCsv(csv);
                o.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            });
            RunFolder.saveModel(agent, dir.resolve(RunFolder.MODEL_FILE));
            RunFolder.writeJson(dir.resolve(RunFolder.SUMMARY_FILE), summary);
        } catch (IOException e) {
            throw new Main.UserException("cannot write to " + dir + ": " + e.getMessage(), e);
        }
        try {
            String title = run.algorithm().name().toUpperCase(Locale.ROOT) + " on " + run.envId() + ", seed " + run.seed()
                    + " (preset " + run.presetName() + ")";
            LearningCurvePlot.write(dir.resolve(RunFolder.PLOT_FILE), title, trainer.episodes(), evaluation.results());
        } catch (IOException | RuntimeException | LinkageError e) {
            // A missing font or graphics library must not lose a finished run: the data files are written.
            notes.add("learning_curve.png not written: " + e);
        }
        RunFolder.makeReadable(dir);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%s on %s, seed %d, preset %s: %d steps in %.1f s (%.0f steps/s); "
                        + "greedy eval over %d episodes: %.2f ± %.2f%n",
                run.algorithm().name(), run.envId(), run.seed(), run.presetName(), trainer.step(), seconds,
                trainer.step() / seconds, run.evalEpisodes(), finalEval.mean(), finalEval.std());
        stdout.println("run folder: " + dir);
        for (String note : notes) {
            err.println("deepq: warning: " + note);
        }
        stdout.flush();
    }

    static TrainingProgress.Mode progressMode(String text) {
        for (TrainingProgress.Mode m : TrainingProgress.Mode.values()) {
            if (m.name().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new Main.UserException("--progress must be one of auto, bar, plain, none; got '" + text + "'");
    }

    private String configHeader(Path dir) {
        return "# deepq run configuration: every setting of this run, with the software and machine it ran on.\n"
                + "# Repeat the run with:  deepq train --preset " + dir.resolve(RunFolder.CONFIG_FILE) + "\n";
    }

    private Map<String, Object> configYaml(RunSettings run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("env", run.envId());
        m.put("algo", run.algorithm().name());
        m.put("seed", run.seed());
        m.put("preset", run.presetName());
        if (run.preset() != null && run.preset().source() != null) {
            m.put("source", run.preset().source());
        }
        m.put("env_options", run.envOptions());
        Map<String, Object> eval = new LinkedHashMap<>();
        eval.put("episodes", run.evalEpisodes());
        eval.put("frequency", run.evalFrequency());
        eval.put("seed", run.seed() + EVAL_SEED_OFFSET);
        m.put("eval", eval);
        m.put("config", run.configMap());
        Map<String, Object> provenance = BuildInfo.provenance();
        provenance.put("command", commandLine());
        provenance.put("env_threads", envThreads);
        provenance.put("created", OffsetDateTime.now().toString());
        m.put("provenance", provenance);
        return m;
    }

    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("deepq");
        for (String a : args) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_.,:=/+@%\\-\\[\\]]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    private static Map<String, Object> summary(RunSettings run, Trainer trainer, PeriodicEvaluation evaluation,
                                               long evalSeed, String started, double seconds) {
        EpisodeStats eval = evaluation.latest().stats();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("env", run.envId());
        summary.put("env_options", run.envOptions());
        summary.put("algo", run.algorithm().name());
        summary.put("preset", run.presetName());
        summary.put("seed", run.seed());
        summary.put("total_steps", run.totalSteps());
        summary.put("steps_taken", trainer.step());
        summary.put("stopped_early", trainer.stoppedEarly());
        Map<String, Object> finalEval = new LinkedHashMap<>();
        finalEval.put("episodes", run.evalEpisodes());
        finalEval.put("seed", evalSeed);
        finalEval.put("mean", eval.mean());
        finalEval.put("std", eval.std());
        finalEval.put("iqm", Aggregates.iqm(eval.returns()));
        finalEval.put("min", eval.min());
        finalEval.put("max", eval.max());
        finalEval.put("mean_length", eval.meanLength());
        finalEval.put("returns", eval.returns());
        finalEval.put("lengths", eval.lengths());
        summary.put("final_eval", finalEval);
        PeriodicEvaluation.Result best = null;
        for (PeriodicEvaluation.Result r : evaluation.results()) {
            if (best == null || r.stats().mean() > best.stats().mean()) {
                best = r;
            }
        }
        Map<String, Object> bestEval = new LinkedHashMap<>();
        bestEval.put("step", best.step());
        bestEval.put("mean", best.stats().mean());
        bestEval.put("std", best.stats().std());
        summary.put("best_eval", bestEval);
        summary.put("evaluations", evaluation.results().size());
        summary.put("train_episodes", trainer.episodes().size());
        summary.put("train_recent_mean_return", nanToNull(trainer.episodes().recentMeanReturn(100)));
        summary.put("train_episode_returns", trainer.episodes().returns());
        summary.put("train_episode_lengths", trainer.episodes().lengths());
        summary.put("config", run.configMap());
        // Timing is the only part of the summary that differs between identical runs.
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("started", started);
        timing.put("wall_time_s", seconds);
        timing.put("steps_per_s", trainer.step() / seconds);
        summary.put("timing", timing);
        summary.put("jvm", BuildInfo.jvm());
        summary.put("deepq_version", BuildInfo.version());
        summary.put("git_commit", BuildInfo.gitCommit());
        return summary;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
