package dev.deepq.train;

import dev.deepq.env.vector.VectorEnv;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training loop every algorithm shares: reset the vector env with the run seed, then until {@code totalSteps}
 * env steps are taken: the agent acts on every env, the envs step (autoresetting finished episodes), the agent
 * learns from the step, episode returns are logged and callbacks run.
 *
 * <p>{@code step} counts env steps over all envs, as CleanRL's {@code global_step}: one vector step of n envs
 * adds n. The loop allocates nothing per step.
 *
 * <p><b>Checkpoints and exact resume.</b> {@link #checkpointEvery} writes a checkpoint ({@link Checkpoints}) every so
 * many steps, after all callbacks have seen the step, and one more when a stop is requested (before
 * {@link Callback#onEnd}). A fresh trainer built like the original (same env, agent config, seed, total steps and
 * callbacks) and given the checkpoint ({@link Checkpoints#restore} or {@link #restoreState}) continues without
 * resetting the env and ends with the same weights, episode log and callback output as a run never interrupted.
 */
public final class Trainer implements Checkpointable {
    private final VectorEnv env;
    private final Agent agent;
    private final long totalSteps;
    private final long seed;
    // An array, not a List: iterating a List allocates an iterator per step once the JIT's escape analysis gives up
    // on the loop (seen after callbacks of several classes had run in one JVM).
    private Callback[] callbacks = new Callback[0];
    private final ActionBatch actions;
    private final StepBatch batch;
    private final EpisodeLog episodes = new EpisodeLog();
    private final double[] runningReturns;
    private final int[] runningLengths;
    private long step;
    private boolean started;
    private boolean resumed;
    private Checkpoints checkpoints;
    private long checkpointInterval;
    private volatile boolean stopRequested;

    public Trainer(VectorEnv env, Agent agent, long totalSteps, long seed) {
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("totalSteps must be positive, got " + totalSteps);
        }
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be non-negative, got " + seed);
        }
        this.env = env;
        this.agent = agent;
        this.totalSteps = totalSteps;
        this.seed = seed;
        this.actions = new ActionBatch(env.singleActionSpace(), env.numEnvs());
        this.batch = new StepBatch(env.numEnvs(), env.observationSize(), env.actionMaskSize(), actions);
        this.runningReturns = new double[env.numEnvs()];
        this.runningLengths = new int[env.numEnvs()];
    }

    public Trainer callback(Callback callback) {
        callbacks = Arrays.copyOf(callbacks, callbacks.length + 1);
        callbacks[callbacks.length - 1] = callback;
        return this;
    }

    /**
     * Writes a checkpoint into {@code store} every {@code interval} env steps (at the first vector step reaching each
     * multiple) and when a stop is requested. A failed write ends the run with an {@link UncheckedIOException}.
     */
    public Trainer checkpointEvery(long interval, Checkpoints store) {
        if (interval <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + interval);
        }
        this.checkpointInterval = interval;
        this.checkpoints = store;
        return this;
    }

    /** Asks the loop to stop after the current step (e.g. on Ctrl-C); safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Runs until {@code totalSteps} env steps are taken or a stop is requested. */
    public Trainer run() {
        if (started) {
            throw new IllegalStateException("this Trainer has already run; make a new one");
        }
        started = true;
        if (resumed) {
            for (Callback c : callbacks) {
                c.onResume(this);
            }
        } else {
            env.reset(seed);
            for (Callback c : callbacks) {
                c.onStart(this);
            }
        }
        long nextCheckpoint = checkpoints == null ? Long.MAX_VALUE : nextMultiple(step, checkpointInterval);
        long lastCheckpoint = -1;
        int n = env.numEnvs();
        while (step < totalSteps && !stopRequested) {
            batch.captureObservations(env);
            agent.act(env, step, actions);
            actions.stepWith(env);
            step += n;
            batch.captureOutcome(env);
            agent.observe(batch, step);
            for (int i = 0; i < n; i++) {
                runningReturns[i] += batch.rewards[i];
                runningLengths[i]++;
                if (batch.terminated[i] || batch.truncated[i]) {
                    double episodeReturn = runningReturns[i];
                    int length = runningLengths[i];
                    episodes.add(episodeReturn, length, step);
                    runningReturns[i] = 0;
                    runningLengths[i] = 0;
                    for (int c = 0; c < callbacks.length; c++) {
                        callbacks[c].onEpisodeEnd(this, i, episodeReturn, length);
                    }
                }
            }
            for (int c = 0; c < callbacks.length; c++) {
                callbacks[c].onStep(this);
            }
            if (step >= nextCheckpoint) {
                writeCheckpoint();
                lastCheckpoint = step;
                nextCheckpoint = nextMultiple(step, checkpointInterval);
            }
        }
        if (checkpoints != null && stoppedEarly() && lastCheckpoint != step) {
            writeCheckpoint();
        }
        for (Callback c : callbacks) {
            c.onEnd(this);
        }
        return this;
    }

    private static long nextMultiple(long step, long interval) {
        return (step / interval + 1) * interval;
    }

    private void writeCheckpoint() {
        try {
            checkpoints.write(this);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the checkpoint at step " + step + " failed: " + e.getMessage(), e);
        }
    }

    // ---- checkpoints ----

    /**
     * Saves the run between two steps: counters, unfinished episodes, the episode log, the env (every sub-env, mid-
     * episode included), the agent and every checkpointable callback (in order, under {@code callbacks/<k>}).
     *
     * @throws UnsupportedOperationException if the agent, the env or a wrapper cannot be checkpointed
     */
    @Override
    public void saveState(StateWriter out) {
        if (!started) {
            throw new IllegalStateException("the trainer has not started; there is no run to save");
        }
        if (!(agent instanceof Checkpointable checkpointable)) {
            throw new UnsupportedOperationException(agent.getClass().getName() + " cannot be checkpointed: it does"
                    + " not implement dev.deepq.state.Checkpointable");
        }
        out.putLong("step", step);
        out.putLong("total_steps", totalSteps);
        out.putLong("seed", seed);
        out.putDoubles("running_returns", runningReturns);
        out.putInts("running_lengths", runningLengths);
        out.putPart("episodes", episodes);
        out.putPart("agent", checkpointable);
        out.putPart("env", env);
        int k = 0;
        for (Callback c : callbacks) {
            if (c instanceof Checkpointable part) {
                StateWriter scope = out.scope("callbacks").scope(Integer.toString(k++));
                scope.putString("type", c.getClass().getName());
                part.saveState(scope);
            }
        }
        out.putLong("checkpointable_callbacks", k);
    }

    /**
     * Puts this trainer, which must be freshly built and not yet run, into a saved run; {@link #run()} then continues
     * it. The seed and the checkpointable callbacks must match the saved run's; the total steps may differ (a resumed
     * run can be extended) but must not be below the saved step.
     *
     * @throws dev.deepq.state.StateException if the state does not fit (this trainer must then be discarded)
     */
    @Override
    public void restoreState(StateReader in) {
        if (started || resumed) {
            throw new IllegalStateException("only a trainer that has not run can be restored; make a new one");
        }
        if (!(agent instanceof Checkpointable checkpointable)) {
            throw new UnsupportedOperationException(agent.getClass().getName() + " cannot be restored from a"
                    + " checkpoint: it does not implement dev.deepq.state.Checkpointable");
        }
        checkEqual(in, "seed", seed);
        List<Checkpointable> parts = new ArrayList<>();
        for (Callback c : callbacks) {
            if (c instanceof Checkpointable part) {
                StateReader scope = in.scope("callbacks").scope(Integer.toString(parts.size()));
                if (!scope.has("type") || !scope.getString("type").equals(c.getClass().getName())) {
                    throw scope.error("type", "the saved run has " + (scope.has("type") ? scope.getString("type")
                            : "no callback") + " here, this trainer has " + c.getClass().getName());
                }
                parts.add(part);
            }
        }
        checkEqual(in, "checkpointable_callbacks", parts.size());
        long savedStep = in.getLong("step");
        if (savedStep < 0 || savedStep > totalSteps) {
            throw in.error("step", "is " + savedStep + ", outside [0, " + totalSteps + "]");
        }
        in.readDoubles("running_returns", runningReturns);
        in.readInts("running_lengths", runningLengths);
        checkpointable.restoreState(in.scope("agent"));
        env.restoreState(in.scope("env"));
        episodes.restoreState(in.scope("episodes"));
        for (int k = 0; k < parts.size(); k++) {
            parts.get(k).restoreState(in.scope("callbacks").scope(Integer.toString(k)));
        }
        step = savedStep;
        resumed = true;
    }

    private static void checkEqual(StateReader in, String name, long expected) {
        long saved = in.getLong(name);
        if (saved != expected) {
            throw in.error(name, "the saved run has " + saved + ", this trainer " + expected);
        }
    }

    /** Whether this trainer continues a run restored from a checkpoint. */
    public boolean resumed() {
        return resumed;
    }

    /** Env steps taken so far, over all envs. */
    public long step() {
        return step;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public long seed() {
        return seed;
    }

    public Agent agent() {
        return agent;
    }

    public VectorEnv env() {
        return env;
    }

    /** Every training episode finished so far. */
    public EpisodeLog episodes() {
        return episodes;
    }

    /** Return accumulated so far in env {@code i}'s unfinished episode (for checkpoints). */
    public double runningReturn(int i) {
        return runningReturns[i];
    }

    /** Steps taken so far in env {@code i}'s unfinished episode (for checkpoints). */
    public int runningLength(int i) {
        return runningLengths[i];
    }

    public boolean stoppedEarly() {
        return stopRequested && step < totalSteps;
    }
}
