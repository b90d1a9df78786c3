package dev.deepq.env;

import dev.deepq.env.spaces.Space;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * An env that wraps another, as Gymnasium's {@code gymnasium.Wrapper}. By default everything passes through: the
 * inner env's observation array, info and action mask are shared (no copies), actions are forwarded, and the
 * outcome of each step is copied. Subclasses override the hooks they change.
 *
 * <p>Checkpoints save the inner env (under {@code inner}) and the wrapper's own state through
 * {@link #saveWrapperState} / {@link #restoreWrapperState}, which every wrapper implements (empty when it keeps
 * nothing): a wrapper that does not cannot be checkpointed, rather than resume from silently lost state.
 */
public abstract class Wrapper extends Env {
    protected final Env env;

    /** A wrapper that keeps the inner env's spaces and shares its observation array. */
    protected Wrapper(Env env) {
        super(env.observationSpace(), env.actionSpace(), env.result.observation(), env.result.actionMask(), env.result.info(),
                false);
        this.env = env;
    }

    /** A wrapper with its own observation space (and so its own observation array) or action space. */
    protected Wrapper(Env env, Space observationSpace, Space actionSpace) {
        this(env, observationSpace, actionSpace, false);
    }

    /**
     * A wrapper with the given spaces that, when {@code ownObservationArray}, writes into an observation array of its
     * own even if its observation space equals the inner env's: for wrappers that change observation values but not
     * the space (normalization), which must not overwrite the inner env's array.
     */
    protected Wrapper(Env env, Space observationSpace, Space actionSpace, boolean ownObservationArray) {
        super(observationSpace, actionSpace,
                !ownObservationArray && observationSpace.equals(env.observationSpace())
                        ? env.result.observation() : new double[observationSpace.size()],
                env.result.actionMask(), env.result.info(), actionSpace != env.actionSpace());
        this.env = env;
    }

    /** The env directly inside this wrapper. */
    public Env inner() {
        return env;
    }

    @Override
    public Env unwrapped() {
        return env.unwrapped();
    }

    @Override
    public EnvSpec spec() {
        EnvSpec own = super.spec();
        return own != null ? own : env.spec();
    }

    /** Resets the inner env (with the seed when given) and copies its outcome. */
    @Override
    protected void resetEnv(boolean seeded, long seed) {
        StepResult inner = seeded ? env.reset(seed) : env.reset();
        onReset(inner);
    }

    @Override
    protected void stepEnv(int action) {
        onStep(env.step(action));
    }

    @Override
    protected void stepEnv(double[] action) {
        onStep(env.step(action));
    }

    @Override
    protected void stepEnv(int[] action) {
        onStep(env.step(action));
    }

    /** Called with the inner env's reset outcome; by default copies it. */
    protected void onReset(StepResult inner) {
        copyOutcome(inner);
    }

    /** Called with the inner env's step outcome; by default copies it. */
    protected void onStep(StepResult inner) {
        copyOutcome(inner);
    }

    /** Copies reward, flags, and the observation when this wrapper has its own array. */
    protected final void copyOutcome(StepResult inner) {
        result.set(inner.reward(), inner.terminated(), inner.truncated());
        if (inner.observation() != observation) {
            System.arraycopy(inner.observation(), 0, observation, 0, Math.min(observation.length, inner.observation().length));
        }
    }

    @Override
    protected final void saveEnvState(StateWriter out) {
        saveWrapperState(out);
        env.saveState(out.scope("inner"));
    }

    @Override
    protected final void restoreEnvState(StateReader in) {
        env.restoreState(in.scope("inner"));
        restoreWrapperState(in);
    }

    /** Saves the wrapper's own state (counters, statistics); nothing for a wrapper that keeps none. */
    protected void saveWrapperState(StateWriter out) {
        throw new UnsupportedOperationException(id() + ": this wrapper cannot be checkpointed: "
                + getClass().getName() + " does not implement saveWrapperState/restoreWrapperState");
    }

    /** Restores what {@link #saveWrapperState} saved. */
    protected void restoreWrapperState(StateReader in) {
        throw new UnsupportedOperationException(id() + ": this wrapper cannot be restored from a checkpoint: "
                + getClass().getName() + " does not implement saveWrapperState/restoreWrapperState");
    }

    @Override
    protected void closeEnv() {
        env.close();
    }

    @Override
    public String renderText() {
        return env.renderText();
    }

    @Override
    public RgbFrame renderRgb() {
        return env.renderRgb();
    }

    @Override
    public boolean supportsTextRender() {
        return env.supportsTextRender();
    }

    @Override
    public boolean supportsRgbRender() {
        return env.supportsRgbRender();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + env + ">";
    }
}
