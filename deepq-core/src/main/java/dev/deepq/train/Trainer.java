package dev.deepq.train;

import dev.deepq.env.vector.VectorEnv;
import java.util.Arrays;

/**
 * The training loop every algorithm shares: reset the vector env with the run seed, then until {@code totalSteps}
 * env steps are taken: the agent acts on every env, the envs step (autoresetting finished episodes), the agent
 * learns from the step, episode returns are logged and callbacks run.
 *
 * <p>{@code step} counts env steps over all envs, as CleanRL's {@code global_step}: one vector step of n envs
 * adds n. The loop allocates nothing per step.
 */
public final class Trainer {
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
        this.batch = new StepBatch(env.numEnvs(), env.observationSize(), actions);
        this.runningReturns = new double[env.numEnvs()];
        this.runningLengths = new int[env.numEnvs()];
    }

    public Trainer callback(Callback callback) {
        callbacks = Arrays.copyOf(callbacks, callbacks.length + 1);
        callbacks[callbacks.length - 1] = callback;
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
        env.reset(seed);
        for (Callback c : callbacks) {
            c.onStart(this);
        }
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
        }
        for (Callback c : callbacks) {
            c.onEnd(this);
        }
        return this;
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
