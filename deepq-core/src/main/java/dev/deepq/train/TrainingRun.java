package dev.deepq.train;

import dev.deepq.algo.Algorithm;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import java.util.List;
import java.util.Map;

/**
 * One complete training run in memory: the env and agent built from an algorithm and its config, trained by the
 * {@link Trainer} with greedy {@link PeriodicEvaluation}s, with the conventions {@code deepq train} uses (evaluation
 * seed, evaluation time limit, default schedule), so a run made here gives the same evaluations and training episodes
 * as {@code deepq train} with the same settings. Sweeps run their tasks through this class.
 *
 * @param envId the env to train on
 * @param envOptions the env's options ({@code gymnasium.make} kwargs)
 * @param algorithm the algorithm
 * @param config its full config (including {@code total_steps})
 * @param seed the run seed (env resets, agent); evaluation uses {@code seed + EVAL_SEED_OFFSET}
 * @param evalEpisodes greedy episodes per evaluation
 * @param evalFrequency env steps between evaluations (one more is taken at the end)
 */
public record TrainingRun(String envId, Map<String, ?> envOptions, Algorithm<Record> algorithm, Record config,
                          long seed, int evalEpisodes, long evalFrequency) {
    /** The evaluation env's seed is the run seed plus this, so evaluation never replays training episodes. */
    public static final long EVAL_SEED_OFFSET = 1_000_000L;
    /** Evaluation episodes of envs without a time limit (CliffWalking) end after this many steps. */
    public static final int EVAL_STEP_LIMIT = 1000;
    /** Greedy episodes per evaluation when none are given. */
    public static final int DEFAULT_EVAL_EPISODES = 10;
    /** Evaluations per run when no frequency is given. */
    public static final int DEFAULT_EVALUATIONS = 20;

    public TrainingRun {
        envOptions = Map.copyOf(envOptions);
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be a non-negative integer, got " + seed);
        }
        if (evalEpisodes <= 0 || evalFrequency <= 0) {
            throw new IllegalArgumentException("evaluation episodes and frequency must be positive, got "
                    + evalEpisodes + " and " + evalFrequency);
        }
    }

    /**
     * The time limit evaluation envs get: null (the env's own) when it has one, else {@link #EVAL_STEP_LIMIT}, so a
     * greedy policy that walks in circles (any untrained one, on CliffWalking) cannot hang an evaluation.
     */
    public static Integer evalTimeLimit(String envId) {
        return Envs.spec(envId).maxEpisodeSteps() == null ? EVAL_STEP_LIMIT : null;
    }

    /** The evaluation frequency used when none is given: {@link #DEFAULT_EVALUATIONS} evaluations per run. */
    public static long defaultEvalFrequency(long totalSteps) {
        return Math.max(1, totalSteps / DEFAULT_EVALUATIONS);
    }

    public long totalSteps() {
        return algorithm.totalSteps(config);
    }

    /**
     * What a run produced.
     *
     * @param evaluations every evaluation, in step order (the last is the final one, at {@code steps})
     * @param trainReturns the returns of the training episodes, in the order they ended
     * @param trainLengths their lengths
     * @param steps env steps taken
     * @param wallSeconds wall-clock time of the training loop (the only part that differs between identical runs)
     */
    public record Result(List<PeriodicEvaluation.Result> evaluations, double[] trainReturns, int[] trainLengths,
                         long steps, double wallSeconds) {
        public Result {
            evaluations = List.copyOf(evaluations);
        }

        /** The final evaluation. */
        public PeriodicEvaluation.Result finalEvaluation() {
            return evaluations.get(evaluations.size() - 1);
        }
    }

    /**
     * Trains and evaluates. The vector env steps its copies on the calling thread only, so concurrent runs (a sweep's
     * tasks) do not compete for more cores than they were given; results do not depend on the thread count.
     *
     * @throws IllegalArgumentException when the algorithm cannot handle the env's spaces or the settings are invalid
     */
    public Result run() {
        int numEnvs = algorithm.numEnvs(config);
        try (VectorEnv env = VectorEnvs.make(envId, envOptions, numEnvs, 1);
             Env evalEnv = Envs.make(envId, envOptions, evalTimeLimit(envId))) {
            Agent agent = algorithm.create(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            PeriodicEvaluation evaluation = new PeriodicEvaluation(evalEnv, evalFrequency, evalEpisodes,
                    seed + EVAL_SEED_OFFSET);
            Trainer trainer = new Trainer(env, agent, totalSteps(), seed).callback(evaluation);
            long start = System.nanoTime();
            trainer.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(evaluation.results(), trainer.episodes().returns(), trainer.episodes().lengths(),
                    trainer.step(), seconds);
        }
    }
}
