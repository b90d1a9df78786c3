package dev.deepq.cli;

import dev.deepq.algo.Algorithms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    static final long EVAL_SEED_OFFSET = dev.deepq.train.TrainingRun.EVAL_SEED_OFFSET;
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

    @Option(names = "--seeds", paramLabel = "N|LIST|RANGE",
            description = "Train a study: one run per seed, in parallel, into one study folder with their aggregates. "
                    + "A count (10: seeds 0-9), a list (1,2,3) or a range (0-9). Not with --seed.")
    String seeds;

    @Option(names = "--jobs", paramLabel = "N",
            description = "With --seeds: runs trained at once, on threads of this JVM (default: the available processors).")
    Integer jobs;

    @Option(names = "--steps", paramLabel = "N", description = "Total env steps (default: the preset's or the algorithm's).")
    Long steps;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a hyperparameter (repeatable), e.g. --set learning_rate=1e-3.")
    List<String> overrides;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "Env option (repeatable), e.g. -o is_slippery=false.")
    List<String> envOptions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: RUNS_DIR/<env>__<algo>__<seed>__<timestamp>); with --seeds the study "
                    + "folder (default: RUNS_DIR/<env>__<algo>__study__<timestamp>).")
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

    @Option(names = "--stop-above", paramLabel = "RETURN",
            description = "Stop training at the first evaluation whose mean greedy return is above RETURN (as "
                    + "Stable-Baselines3's StopTrainingOnRewardThreshold): the run ends at that step with all its "
                    + "outputs (default: none, train for all the steps).")
    Double stopAbove;

    @Mixin
    SessionOptions session;

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
        session.validate();
        if (seeds != null) {
            trainStudy();
            return;
        }
        if (jobs != null) {
            throw new Main.UserException("--jobs sets how many runs of a study train at once; it needs --seeds");
        }
        RunSettings run = RunSettings.resolve(envId, algo, preset, seed, steps, overrides,
                EnvOptionParser.parse(envOptions), evalEpisodes, evalFrequency, stopAbove);

        Path dir = out != null ? out : RunFolder.newRunPath(runsDir, run.envId(), run.algorithm().name(), run.seed(),
                LocalDateTime.now());
        if (Files.exists(dir.resolve(RunFolder.CONFIG_FILE))) {
            throw new Main.UserException("--out: " + dir + " already holds a run (it has " + RunFolder.CONFIG_FILE
                    + "); continue it with 'deepq resume " + dir + "' or choose another folder");
        }
        // Building the env and agent validates the settings, so nothing is written for a bad command.
        TrainingSession training = new TrainingSession(run, dir, run.totalSteps(), session,
                spec.commandLine().getOut(), spec.commandLine().getErr());
        try {
            RunFolder.create(dir);
            RunFolder.writeYaml(dir.resolve(RunFolder.CONFIG_FILE), configHeader(dir),
                    configYaml(run, commandLine(), session.envThreads));
        } catch (IOException | RuntimeException e) {
            training.close();
            throw e instanceof IOException ? new Main.UserException("cannot write to " + dir + ": " + e.getMessage(), e)
                    : (RuntimeException) e;
        }
        training.run();
    }

    private void trainStudy() {
        if (seed != null) {
            throw new Main.UserException("--seed and --seeds are mutually exclusive: --seed S trains one run, --seeds a "
                    + "study of several (e.g. --seeds 10 or --seeds " + seed + "-" + seed + ")");
        }
        List<Long> seedList = SeedList.parse(seeds);
        int parallel = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (parallel <= 0) {
            throw new Main.UserException("--jobs must be positive, got " + parallel);
        }
        RunSettings first = RunSettings.resolve(envId, algo, preset, seedList.get(0), steps, overrides,
                EnvOptionParser.parse(envOptions), evalEpisodes, evalFrequency, stopAbove);
        Path dir = out != null ? out : StudyFolder.newStudyPath(runsDir, first.envId(), first.algorithm().name(),
                LocalDateTime.now());
        if (StudyFolder.isStudy(dir) || Files.exists(dir.resolve(RunFolder.CONFIG_FILE))) {
            throw new Main.UserException("--out: " + dir + " already holds a " + (StudyFolder.isStudy(dir) ? "study" : "run")
                    + "; continue it with 'deepq resume " + dir + "' or choose another folder");
        }
        // Building one run's env and agent validates the settings, so nothing is written for a bad command.
        new TrainingSession(first, dir.resolve(StudyFolder.seedDir(first.seed())), first.totalSteps(), session,
                spec.commandLine().getOut(), spec.commandLine().getErr()).close();
        String command = commandLine();
        ObjectNode manifest = StudyFolder.newManifest(first, seedList, command, OffsetDateTime.now().toString());
        List<Integer> indexes = new ArrayList<>();
        List<StudyRunner.Job> todo = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (long s : seedList) {
                RunSettings run = first.withSeed(s);
                Path runDir = dir.resolve(StudyFolder.seedDir(s));
                RunFolder.create(runDir);
                RunFolder.writeYaml(runDir.resolve(RunFolder.CONFIG_FILE), configHeader(runDir),
                        configYaml(run, command, session.envThreads));
                indexes.add(indexes.size());
                todo.add(new StudyRunner.Job(run, runDir, run.totalSteps(), false, 0));
            }
            StudyFolder.writeManifest(dir, manifest);
        } catch (IOException e) {
            throw new Main.UserException("cannot write to " + dir + ": " + e.getMessage(), e);
        }
        new StudyRunner(dir, manifest, parallel, session, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run(indexes, todo);
    }

    private String configHeader(Path dir) {
        return "# deepq run configuration: every setting of this run, with the software and machine it ran on.\n"
                + "# Repeat the run with:  deepq train --preset " + dir.resolve(RunFolder.CONFIG_FILE) + "\n";
    }

    static Map<String, Object> configYaml(RunSettings run, String command, int envThreads) {
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
        if (run.stopAbove() != null) {
            eval.put("stop_above", run.stopAbove());
        }
        m.put("eval", eval);
        m.put("config", run.configMap());
        Map<String, Object> provenance = BuildInfo.provenance();
        provenance.put("command", command);
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

}
