package dev.deepq.env;

import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiBinary;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.io.Json;
import dev.deepq.random.Rng;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A reinforcement-learning environment with Gymnasium's semantics.
 *
 * <p>Subclasses implement {@link #resetEnv} and the {@code stepEnv} overload that matches their action space; this
 * class enforces the protocol for every env, built-in or a user's: no step before reset or after the episode ended,
 * actions inside the action space (no NaN), nothing after {@link #close()}. Each violation is an exception that
 * names the env and the problem.
 *
 * <p>Seeding follows Gymnasium: {@link #reset(long)} reseeds the env's generator ({@link #rng()}) exactly as
 * {@code np_random} is seeded in Gymnasium, and {@link #reset()} continues its stream. An env that was never seeded
 * behaves as if first reset with seed 0, so runs are reproducible without exception.
 *
 * <p>The observation array and {@link StepResult} are owned by the env and overwritten by each call: a step
 * allocates nothing.
 *
 * <p>Checkpoints: {@link #saveState} / {@link #restoreState} capture the env at any point, mid-episode included, so
 * that a freshly made env (same id and options) continues bit-identically. They save the protocol state, the
 * generator, the latest outcome (observation, reward, flags, info, action mask) and, through
 * {@link #saveEnvState} / {@link #restoreEnvState}, what the subclass keeps. Every built-in env and wrapper
 * implements that pair; an env that does not cannot be checkpointed, and saying so is {@link #saveState}'s error.
 */
public abstract class Env implements AutoCloseable, Checkpointable {
    private enum Phase { NEEDS_RESET, RUNNING, ENDED, CLOSED }

    private final Space observationSpace;
    private final Space actionSpace;
    /** The env's output; subclasses write the observation into {@link #observation}. */
    protected final StepResult result;
    protected final double[] observation;
    protected final Info info;
    /** Valid actions, for envs that call {@link #Env(Space, Space, boolean)} with masks; else null. */
    protected final boolean[] actionMask;
    private EnvSpec spec;
    private Rng rng;
    private Phase phase = Phase.NEEDS_RESET;
    /**
     * False for a wrapper that hands actions unchanged to an env with the same action space: that env checks them,
     * with the same message, so checking twice would only cost time.
     */
    private final boolean checksActions;
    private double[] flatDoubleBuffer;
    private int[] flatIntBuffer;

    protected Env(Space observationSpace, Space actionSpace) {
        this(observationSpace, actionSpace, false);
    }

    /**
     * @param hasActionMask whether this env reports valid actions (Discrete action spaces only)
     */
    protected Env(Space observationSpace, Space actionSpace, boolean hasActionMask) {
        this(observationSpace, actionSpace, new double[observationSpace.size()],
                hasActionMask ? new boolean[maskSize(actionSpace)] : null);
    }

    private Env(Space observationSpace, Space actionSpace, double[] observation, boolean[] actionMask) {
        this(observationSpace, actionSpace, observation, actionMask, new Info(), true);
    }

    /** For wrappers that share the inner env's observation array, action mask and info instead of copying. */
    Env(Space observationSpace, Space actionSpace, double[] observation, boolean[] actionMask, Info info,
        boolean checksActions) {
        if (observation.length != observationSpace.size()) {
            throw new IllegalArgumentException("observation array has " + observation.length
                    + " elements but the observation space " + observationSpace + " needs " + observationSpace.size());
        }
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.observation = observation;
        this.info = info;
        this.actionMask = actionMask;
        this.result = new StepResult(observation, info, actionMask);
        this.checksActions = checksActions;
    }

    private static int maskSize(Space actionSpace) {
        if (actionSpace instanceof Discrete d) {
            return d.n();
        }
        throw new IllegalArgumentException("action masks need a Discrete action space, got " + actionSpace);
    }

    public final Space observationSpace() {
        return observationSpace;
    }

    public final Space actionSpace() {
        return actionSpace;
    }

    /** The registration this env was made from, or null for an env constructed directly. */
    public EnvSpec spec() {
        return spec;
    }

    void setSpec(EnvSpec spec) {
        this.spec = spec;
    }

    /** The registered id, or the class name for an env constructed directly. Used in every error message. */
    public String id() {
        EnvSpec s = spec();
        return s != null ? s.id() : getClass().getSimpleName();
    }

    /** The env's generator ({@code np_random}): reseeded by {@link #reset(long)}. */
    public final Rng rng() {
        if (rng == null) {
            rng = Rng.seeded(0);
        }
        return rng;
    }

    /** Replaces the env's generator, e.g. when restoring a checkpoint. */
    public final void setRng(Rng rng) {
        this.rng = rng;
    }

    /** The outcome of the latest reset or step: the object those calls return. */
    public final StepResult lastResult() {
        return result;
    }

    /** The innermost env under any wrappers. */
    public Env unwrapped() {
        return this;
    }

    /** Starts a new episode with the generator reseeded from {@code seed} (Gymnasium's {@code reset(seed=seed)}). */
    public final StepResult reset(long seed) {
        checkOpen("reset");
        if (seed < 0) {
            throw new IllegalArgumentException(id() + ": reset seed must be a non-negative integer, got " + seed);
        }
        rng = Rng.seeded(seed);
        return beginEpisode(true, seed);
    }

    /** Starts a new episode continuing the generator's stream (Gymnasium's {@code reset()}). */
    public final StepResult reset() {
        checkOpen("reset");
        rng();
        return beginEpisode(false, 0);
    }

    private StepResult beginEpisode(boolean seeded, long seed) {
        info.clear();
        result.set(0.0, false, false);
        resetEnv(seeded, seed);
        phase = Phase.RUNNING;
        return result;
    }

    /** One step with a Discrete action. */
    public final StepResult step(int action) {
        checkCanStep();
        if (checksActions) {
            checkDiscreteAction(action);
        }
        info.clear();
        stepEnv(action);
        afterStep();
        return result;
    }

    private void checkDiscreteAction(int action) {
        if (!(actionSpace instanceof Discrete d)) {
            throw new IllegalArgumentException(id() + ": step(int) needs a Discrete action space, but the action space is "
                    + actionSpace + "; " + expectedActionType());
        }
        if (!d.contains(action)) {
            throw new IllegalArgumentException(id() + ": action " + action + " is not in the action space " + actionSpace);
        }
    }

    /** One step with a Box action (length of the action space's size). */
    public final StepResult step(double[] action) {
        checkCanStep();
        if (checksActions) {
            checkBoxAction(action);
        }
        info.clear();
        stepEnv(action);
        afterStep();
        return result;
    }

    private void checkBoxAction(double[] action) {
        if (!(actionSpace instanceof Box box)) {
            throw new IllegalArgumentException(id() + ": step(double[]) needs a Box action space, but the action space is "
                    + actionSpace + "; " + expectedActionType());
        }
        if (action.length != box.size()) {
            throw new IllegalArgumentException(id() + ": action has " + action.length + " elements, but the action space "
                    + actionSpace + " needs " + box.size());
        }
        if (!box.containsFlat(action, 0)) {
            String what = hasNaN(action) ? " contains NaN" : " is not in the action space " + actionSpace;
            throw new IllegalArgumentException(id() + ": action " + Arrays.toString(action) + what);
        }
    }

    /** One step with a MultiDiscrete or MultiBinary action. */
    public final StepResult step(int[] action) {
        checkCanStep();
        if (checksActions) {
            checkIntVectorAction(action);
        }
        info.clear();
        stepEnv(action);
        afterStep();
        return result;
    }

    private void checkIntVectorAction(int[] action) {
        boolean ok;
        if (actionSpace instanceof MultiDiscrete md) {
            ok = md.contains(action);
        } else if (actionSpace instanceof MultiBinary mb) {
            ok = mb.contains(action);
        } else {
            throw new IllegalArgumentException(id() + ": step(int[]) needs a MultiDiscrete or MultiBinary action space, but"
                    + " the action space is " + actionSpace + "; " + expectedActionType());
        }
        if (!ok) {
            throw new IllegalArgumentException(id() + ": action " + Arrays.toString(action)
                    + " is not in the action space " + actionSpace);
        }
    }

    /**
     * One step with the action given flat as doubles (length of the action space's size): the generic entry point
     * that vector envs and wrappers use for any action space.
     */
    public final StepResult stepFlat(double[] action, int offset) {
        if (actionSpace instanceof Discrete) {
            double a = action[offset];
            if (a != Math.rint(a)) {
                checkCanStep();
                throw new IllegalArgumentException(id() + ": action " + a + " is not in the action space " + actionSpace);
            }
            return step((int) a);
        }
        if (actionSpace instanceof Box box) {
            double[] buffer = flatActionBuffer(box.size());
            System.arraycopy(action, offset, buffer, 0, buffer.length);
            return step(buffer);
        }
        int[] buffer = intActionBuffer(actionSpace.size());
        for (int i = 0; i < buffer.length; i++) {
            double a = action[offset + i];
            buffer[i] = a == Math.rint(a) && Math.abs(a) < Integer.MAX_VALUE ? (int) a : -1;
        }
        return step(buffer);
    }

    private double[] flatActionBuffer(int n) {
        if (flatDoubleBuffer == null) {
            flatDoubleBuffer = new double[n];
        }
        return flatDoubleBuffer;
    }

    private int[] intActionBuffer(int n) {
        if (flatIntBuffer == null) {
            flatIntBuffer = new int[n];
        }
        return flatIntBuffer;
    }

    private void afterStep() {
        if (result.terminated() || result.truncated()) {
            phase = Phase.ENDED;
        }
    }

    /** Whether an episode is in progress (reset was called and it has not ended). */
    public final boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    public final boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    /** Releases the env's resources. Further use is an error; closing twice is not. */
    @Override
    public final void close() {
        if (phase != Phase.CLOSED) {
            phase = Phase.CLOSED;
            closeEnv();
        }
    }

    private void checkOpen(String call) {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException(id() + ": " + call + "() called after close()");
        }
    }

    private void checkCanStep() {
        // A plain comparison on the hot path; the switch (an extra table lookup) only runs to build the error.
        if (phase != Phase.RUNNING) {
            throw stepRefused();
        }
    }

    private IllegalStateException stepRefused() {
        return switch (phase) {
            case NEEDS_RESET -> new IllegalStateException(id() + ": step() called before reset()");
            case ENDED -> new IllegalStateException(id() + ": step() called after the episode ended ("
                    + (result.terminated() ? "terminated" : "truncated") + ") without reset()");
            case CLOSED -> new IllegalStateException(id() + ": step() called after close()");
            case RUNNING -> throw new AssertionError("step() refused while running");
        };
    }

    private String expectedActionType() {
        if (actionSpace instanceof Discrete) {
            return "use step(int)";
        }
        if (actionSpace instanceof Box) {
            return "use step(double[])";
        }
        return "use step(int[])";
    }

    private static boolean hasNaN(double[] a) {
        for (double v : a) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    // ---- checkpoints ----

    /**
     * Saves everything needed to continue this env exactly: the subclass's state ({@link #saveEnvState}), whether an
     * episode is running, the generator and the latest outcome. The names {@code phase, rng, observation, reward,
     * terminated, truncated, info_keys, info_values, action_mask} are this class's; subclasses use others.
     *
     * @throws UnsupportedOperationException if the env (or a wrapper in it) does not implement checkpoints
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public final void saveState(StateWriter out) {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException(id() + ": cannot save the state of a closed env");
        }
        saveEnvState(out);
        out.putEnum("phase", phase);
        out.putRng("rng", rng());
        out.putDoubles("observation", observation);
        out.putDouble("reward", result.reward());
        out.putBoolean("terminated", result.terminated());
        out.putBoolean("truncated", result.truncated());
        List<String> keys = new ArrayList<>();
        double[] values = new double[info.size()];
        for (int i = 0; i < info.size(); i++) {
            keys.add(info.key(i));
            values[i] = info.value(i);
        }
        out.putString("info_keys", Json.write(keys));
        out.putDoubles("info_values", values);
        if (actionMask != null) {
            out.putBooleans("action_mask", actionMask);
        }
    }

    /**
     * Puts this env (made like the saved one, not closed) into the saved state; the next step continues exactly where
     * the saved env would have.
     *
     * @throws dev.deepq.state.StateException if the state does not fit this env
     */
    @Override
    public final void restoreState(StateReader in) {
        checkOpen("restoreState");
        Phase savedPhase = in.getEnum("phase", Phase.class);
        if (savedPhase == Phase.CLOSED) {
            throw in.error("phase", "a closed env cannot be restored");
        }
        Rng savedRng = in.getRng("rng");
        double[] savedObservation = in.doubles("observation");
        in.checkLength("observation", savedObservation.length, observation.length);
        List<?> keys;
        try {
            keys = Json.parse(in.getString("info_keys")) instanceof List<?> list ? list : null;
        } catch (Json.JsonException e) {
            keys = null;
        }
        double[] values = in.doubles("info_values");
        if (keys == null || keys.size() != values.length || !keys.stream().allMatch(String.class::isInstance)) {
            throw in.error("info_keys", "must be a JSON list of " + values.length + " strings (one per info value)");
        }
        boolean[] savedMask = null;
        if (actionMask != null) {
            savedMask = in.booleans("action_mask");
            in.checkLength("action_mask", savedMask.length, actionMask.length);
        } else if (in.has("action_mask")) {
            throw in.error("action_mask", "was saved but " + id() + " has no action mask");
        }
        restoreEnvState(in);
        phase = savedPhase;
        rng = savedRng;
        System.arraycopy(savedObservation, 0, observation, 0, observation.length);
        result.set(in.getDouble("reward"), in.getBoolean("terminated"), in.getBoolean("truncated"));
        info.clear();
        for (int i = 0; i < values.length; i++) {
            info.put((String) keys.get(i), values[i]);
        }
        if (savedMask != null) {
            System.arraycopy(savedMask, 0, actionMask, 0, actionMask.length);
        }
    }

    /**
     * Saves what this env keeps beyond {@link Env}'s own state (its physical state, counters, ...). Everything a
     * later step depends on must be here, or a resumed run will differ. The default refuses: an env must opt in.
     */
    protected void saveEnvState(StateWriter out) {
        throw new UnsupportedOperationException(id() + ": this env cannot be checkpointed mid-episode: "
                + getClass().getName() + " does not implement saveEnvState/restoreEnvState");
    }

    /** Restores what {@link #saveEnvState} saved. */
    protected void restoreEnvState(StateReader in) {
        throw new UnsupportedOperationException(id() + ": this env cannot be restored from a checkpoint: "
                + getClass().getName() + " does not implement saveEnvState/restoreEnvState");
    }

    // ---- to implement ----

    /**
     * Starts an episode: write the first observation into {@link #observation}, any reset info into {@link #info},
     * and the action mask if the env has one. {@link #rng()} has already been reseeded when {@code seeded}.
     */
    protected abstract void resetEnv(boolean seeded, long seed);

    /** Applies a Discrete action (already checked to be in the action space) and fills {@link #result}. */
    protected void stepEnv(int action) {
        throw new UnsupportedOperationException(id() + " does not implement Discrete actions");
    }

    /** Applies a Box action (checked) and fills {@link #result}. */
    protected void stepEnv(double[] action) {
        throw new UnsupportedOperationException(id() + " does not implement Box actions");
    }

    /** Applies a MultiDiscrete or MultiBinary action (checked) and fills {@link #result}. */
    protected void stepEnv(int[] action) {
        throw new UnsupportedOperationException(id() + " does not implement MultiDiscrete/MultiBinary actions");
    }

    /** Releases resources; called once. */
    protected void closeEnv() {}

    // ---- rendering ----

    /** The current state as text (Gymnasium's "ansi" mode), for envs that support it. */
    public String renderText() {
        throw new UnsupportedOperationException(id() + " has no text rendering");
    }

    /** The current state as an RGB image (Gymnasium's "rgb_array" mode), for envs that support it. */
    public RgbFrame renderRgb() {
        throw new UnsupportedOperationException(id() + " has no RGB rendering");
    }

    public boolean supportsTextRender() {
        return false;
    }

    public boolean supportsRgbRender() {
        return false;
    }

    @Override
    public String toString() {
        return id();
    }
}
