package dev.deepq.cli;

import dev.deepq.env.Env;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.eval.Aggregates;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import dev.deepq.random.Rng;
import dev.deepq.train.Agent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepq eval RUN}: evaluates a run folder's trained agent and prints JSON (mean, std, IQM, min, max,
 * per-episode returns and lengths). By default greedy, on the seed of the run's own final evaluation, so
 * {@code --episodes} equal to the run's reproduces its {@code final_eval}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a trained run's agent and print JSON: mean, std, iqm, min, max, returns, lengths.")
final class EvalCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder written by 'deepq train'.")
    Path run;

    @Option(names = "--episodes", defaultValue = "10", description = "Episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @ArgGroup(exclusive = true)
    Exploration exploration;

    static final class Exploration {
        @Option(names = "--deterministic", description = "Greedy actions (the default).")
        boolean deterministic;

        @Option(names = "--epsilon", paramLabel = "E", description = "Epsilon-greedy: a uniformly random action with probability E.")
        Double epsilon;
    }

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the first episode's reset and of epsilon's draws (default: the run's evaluation seed, run seed + 1000000).")
    Long seed;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (episodes <= 0) {
            throw new Main.UserException("--episodes must be a positive integer, got " + episodes);
        }
        double epsilon = exploration == null || exploration.epsilon == null ? 0 : exploration.epsilon;
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new Main.UserException("--epsilon must be in [0, 1], got " + epsilon);
        }
        if (seed != null && seed < 0) {
            throw new Main.UserException("--seed must be a non-negative integer, got " + seed);
        }
        TrainedRun trained = TrainedRun.open(run);
        long evalSeed = seed != null ? seed : trained.seed() + TrainCommand.EVAL_SEED_OFFSET;
        EpisodeStats stats;
        try (Env env = trained.makeEnv()) {
            Evaluation.Policy policy = epsilon == 0 ? trained.agent()::predict
                    : new EpsilonGreedy(trained.agent(), env.actionSpace(), epsilon, Rng.seeded(evalSeed));
            stats = Evaluation.run(policy, env, episodes, evalSeed, 10_000_000L);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("run", run.toString());
        o.put("env", trained.envId());
        o.put("algo", trained.config().algo());
        o.put("episodes", episodes);
        o.put("seed", evalSeed);
        o.put("epsilon", epsilon);
        o.put("mean", stats.mean());
        o.put("std", stats.std());
        o.put("iqm", Aggregates.iqm(stats.returns()));
        o.put("min", stats.min());
        o.put("max", stats.max());
        o.put("mean_length", stats.meanLength());
        o.put("returns", stats.returns());
        o.put("lengths", stats.lengths());
        try {
            spec.commandLine().getOut().println(RunFolder.JSON.writeValueAsString(o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With probability epsilon a uniformly random action (from its own seeded generator), else the agent's. */
    static final class EpsilonGreedy implements Evaluation.Policy {
        private final Agent agent;
        private final Space actionSpace;
        private final double epsilon;
        private final Rng rng;

        EpsilonGreedy(Agent agent, Space actionSpace, double epsilon, Rng rng) {
            this.agent = agent;
            this.actionSpace = actionSpace;
            this.epsilon = epsilon;
            this.rng = rng;
        }

        @Override
        public void act(double[] observation, boolean[] actionMask, double[] actionOut) {
            if (rng.random() < epsilon) {
                randomAction(actionMask, actionOut);
            } else {
                agent.predict(observation, actionMask, actionOut);
            }
        }

        /** A uniformly random action, among the valid ones when the env gives a mask. */
        private void randomAction(boolean[] actionMask, double[] actionOut) {
            if (actionMask == null || !(actionSpace instanceof Discrete d)) {
                actionSpace.sampleFlat(rng, actionOut, 0);
                return;
            }
            int valid = 0;
            for (boolean ok : actionMask) {
                valid += ok ? 1 : 0;
            }
            long pick = rng.integers(Math.max(valid, 1));
            for (int a = 0; a < actionMask.length; a++) {
                if ((valid == 0 || actionMask[a]) && pick-- == 0) {
                    actionOut[0] = d.start() + a;
                    return;
                }
            }
        }
    }
}
