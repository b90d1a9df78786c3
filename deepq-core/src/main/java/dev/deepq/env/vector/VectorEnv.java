package dev.deepq.env.vector;

import dev.deepq.env.Env;
import dev.deepq.env.Info;
import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiBinary;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.io.Json;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code n} copies of an env stepped together, as Gymnasium's vector envs: one call steps every env, and the results
 * come back as flat primitive arrays that the vector env owns and overwrites on each call (read them before the next
 * call; a step allocates nothing).
 *
 * <h2>Outputs</h2>
 * After {@link #reset(long)}, {@link #reset()} or a step:
 * <ul>
 *   <li>{@link #observations()}: {@code n * obsSize} numbers, env {@code i}'s observation at
 *       {@code [i * obsSize, (i + 1) * obsSize)};</li>
 *   <li>{@link #rewards()}, {@link #terminated()}, {@link #truncated()}: one per env;</li>
 *   <li>{@link #hasFinalObservation()}, {@link #finalObservations()} ({@code n * obsSize}) and {@link #finalInfo(int)}:
 *       where env {@code i}'s episode ended on this step, its last observation and info (zeros and empty
 *       elsewhere);</li>
 *   <li>{@link #finalActionMasks()} ({@code n * actionMaskSize()}, null for envs without masks): where env {@code i}'s
 *       episode ended on this step, the action mask of its last observation (the env's current mask is already the
 *       reset state's); all false elsewhere;</li>
 *   <li>{@link #info(int)}: env {@code i}'s current info (the reset info right after an automatic reset).</li>
 * </ul>
 *
 * <h2>Actions</h2>
 * {@link #step(int[])} takes one action per env for a Discrete action space, or {@code n * size} numbers (env {@code i}
 * at {@code [i * size, (i + 1) * size)}) for MultiDiscrete and MultiBinary; {@link #step(double[])} takes
 * {@code n * size} numbers for a Box. Every action is checked before any env is stepped: a wrong length or an action
 * outside the single action space is an {@link IllegalArgumentException} naming the env index, and no env moves.
 *
 * <h2>Seeding</h2>
 * {@link #reset(long) reset(seed)} resets env {@code i} with seed {@code seed + i}, as Gymnasium: env {@code i} of a
 * vector env follows exactly the trajectory of a single env reset with {@code seed + i} and given the same actions.
 * Later automatic resets are unseeded and continue each env's own generator, as in Gymnasium.
 *
 * <h2>Autoreset: same step</h2>
 * When env {@code i}'s episode ends on a step, the vector env resets it within that same step, as Gymnasium 0.29's
 * vector envs and Stable-Baselines3's {@code VecEnv} do:
 * <ul>
 *   <li>{@code observations} holds the first observation of env {@code i}'s new episode;</li>
 *   <li>{@code finalObservations} holds the last observation of the episode that ended, with
 *       {@code hasFinalObservation[i] = true}, and {@code finalInfo(i)} its last info;</li>
 *   <li>{@code rewards[i]}, {@code terminated[i]} and {@code truncated[i]} describe that last transition.</li>
 * </ul>
 * So every step yields a complete transition for every env: {@code (obs, action, reward, nextObs)} with
 * {@code nextObs} taken from {@code finalObservations} where {@code hasFinalObservation[i]}, else from
 * {@code observations}. A truncated episode can be bootstrapped from its final observation, a terminated one not.
 *
 * <p>Gymnasium 1.x changed its default to <b>next-step</b> autoreset: the step that ends an episode returns the final
 * observation in {@code observations} as usual, and the reset happens on the <em>following</em> call of
 * {@code step}, which ignores that call's action for the env, returns its first observation with reward 0 and both
 * flags false. The learner must then skip the non-transition from the final observation to the first one. Gymnasium
 * 1.x can also be configured for {@code SAME_STEP} mode, which is this class's behaviour (Gymnasium 1.x puts the final
 * observation into {@code info["final_obs"]}; here it has its own array). Same-step mode is the only one deepq
 * implements: it wastes no step, and every step's data can go to the replay buffer as is.
 *
 * <h2>Threads</h2>
 * A vector env is used from one thread at a time. {@link ThreadedVectorEnv} steps envs on several threads
 * internally; its results are bit-identical to {@link SyncVectorEnv}'s because each env's work is independent and
 * writes only its own slots. An exception inside an env is rethrown to the caller as a {@link VectorEnvException}
 * naming the env index; the vector env then needs a reset.
 *
 * <h2>Checkpoints</h2>
 * {@link #saveState} saves every env (under {@code envs/<i>}, see {@link Env#saveState}) and the vector env's own
 * outputs; {@link #restoreState} into a vector env of the same envs continues bit-identically, mid-episode included.
 * A threaded and a sync vector env restore each other's states (their results are identical).
 */
public abstract class VectorEnv implements AutoCloseable, Checkpointable {
    private enum Phase { NEEDS_RESET, RUNNING, CLOSED }

    private enum ActionKind { DISCRETE, BOX, INT_VECTOR }

    /** The work one call asks of every env. */
    enum Command { RESET_SEEDED, RESET, STEP }

    private final Env[] envs;
    private final int numEnvs;
    private final Space observationSpace;
    private final Space actionSpace;
    private final ActionKind actionKind;
    private final int obsSize;
    private final int actionSize;

    private final double[] observations;
    private final double[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final boolean[] hasFinalObservation;
    private final double[] finalObservations;
    private final Info[] finalInfos;
    /** Null when the envs have no action mask. */
    private final boolean[] finalActionMasks;
    private final int actionMaskSize;
    private final StepResult[] lastResults;
    private final Throwable[] failures;

    private final int[] discreteActions;
    private final double[][] boxActions;
    private final int[][] intActions;

    private Phase phase = Phase.NEEDS_RESET;
    private String needsResetReason = "before reset()";
    private Command command;
    private long baseSeed;

    /**
     * @param envs the envs, distinct instances with equal observation and action spaces; the vector env owns them
     *     from now on and closes them on {@link #close()}
     */
    protected VectorEnv(List<? extends Env> envs) {
        if (envs.isEmpty()) {
            throw new IllegalArgumentException("a vector env needs at least one env");
        }
        this.envs = envs.toArray(new Env[0]);
        this.numEnvs = this.envs.length;
        Map<Env, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < numEnvs; i++) {
            Env env = this.envs[i];
            if (env == null) {
                throw new IllegalArgumentException("env " + i + " is null");
            }
            Integer previous = seen.put(env, i);
            if (previous != null) {
                throw new IllegalArgumentException("envs " + previous + " and " + i + " are the same instance; a vector env"
                        + " needs a separate env for each index");
            }
            if (env.isClosed()) {
                throw new IllegalArgumentException("env " + i + " (" + env.id() + ") is closed");
            }
        }
        this.observationSpace = this.envs[0].observationSpace();
        this.actionSpace = this.envs[0].actionSpace();
        for (int i = 1; i < numEnvs; i++) {
            if (!this.envs[i].observationSpace().equals(observationSpace)) {
                throw new IllegalArgumentException("env " + i + " has observation space " + this.envs[i].observationSpace()
                        + " but env 0 has " + observationSpace + "; all envs of a vector env must have the same spaces");
            }
            if (!this.envs[i].actionSpace().equals(actionSpace)) {
                throw new IllegalArgumentException("env " + i + " has action space " + this.envs[i].actionSpace()
                        + " but env 0 has " + actionSpace + "; all envs of a vector env must have the same spaces");
            }
        }
        this.actionKind = switch (actionSpace) {
            case Discrete d -> ActionKind.DISCRETE;
            case Box b -> ActionKind.BOX;
            case MultiDiscrete md -> ActionKind.INT_VECTOR;
            case MultiBinary mb -> ActionKind.INT_VECTOR;
        };
        this.obsSize = observationSpace.size();
        this.actionSize = actionSpace.size();

        observations = new double[numEnvs * obsSize];
        rewards = new double[numEnvs];
        terminated = new boolean[numEnvs];
        truncated = new boolean[numEnvs];
        hasFinalObservation = new boolean[numEnvs];
        finalObservations = new double[numEnvs * obsSize];
        finalInfos = new Info[numEnvs];
        lastResults = new StepResult[numEnvs];
        boolean[] mask = this.envs[0].lastResult().actionMask();
        actionMaskSize = mask == null ? 0 : mask.length;
        finalActionMasks = mask == null ? null : new boolean[numEnvs * actionMaskSize];
        for (int i = 1; i < numEnvs; i++) {
            boolean[] other = this.envs[i].lastResult().actionMask();
            if ((other == null ? 0 : other.length) != actionMaskSize || (other == null) != (mask == null)) {
                throw new IllegalArgumentException("env " + i + " has " + describeMask(other) + " but env 0 has "
                        + describeMask(mask) + "; all envs of a vector env must have the same kind of action mask");
            }
        }
        failures = new Throwable[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            finalInfos[i] = new Info();
        }
        discreteActions = actionKind == ActionKind.DISCRETE ? new int[numEnvs] : null;
        boxActions = actionKind == ActionKind.BOX ? new double[numEnvs][actionSize] : null;
        intActions = actionKind == ActionKind.INT_VECTOR ? new int[numEnvs][actionSize] : null;
    }

    // ---- the API ----

    public final int numEnvs() {
        return numEnvs;
    }

    /** The observation space of one env (Gymnasium's {@code single_observation_space}). */
    public final Space singleObservationSpace() {
        return observationSpace;
    }

    /** The action space of one env (Gymnasium's {@code single_action_space}). */
    public final Space singleActionSpace() {
        return actionSpace;
    }

    /** Numbers per observation of one env ({@code singleObservationSpace().size()}). */
    public final int observationSize() {
        return obsSize;
    }

    /** Numbers per action of one env ({@code singleActionSpace().size()}). */
    public final int actionSize() {
        return actionSize;
    }

    /** Env {@code i} itself, e.g. to read its spec or render it. Stepping it directly breaks the vector env. */
    public final Env env(int i) {
        checkIndex(i);
        return envs[i];
    }

    /** The envs' id (of env 0), used in messages. */
    public String id() {
        return envs[0].id();
    }

    /** Resets env {@code i} with seed {@code seed + i} (Gymnasium's {@code reset(seed=seed)}). */
    public final void reset(long seed) {
        checkOpen("reset");
        if (seed < 0 || seed > Long.MAX_VALUE - (numEnvs - 1)) {
            throw new IllegalArgumentException(id() + " vector env: reset seed must be in [0, " + (Long.MAX_VALUE - (numEnvs - 1))
                    + "] so that every seed + i is a valid seed, got " + seed);
        }
        baseSeed = seed;
        run(Command.RESET_SEEDED);
    }

    /** Resets every env continuing its own generator (Gymnasium's {@code reset()}). */
    public final void reset() {
        checkOpen("reset");
        run(Command.RESET);
    }

    /**
     * Steps every env: Discrete action spaces take one action per env ({@code numEnvs()} values), MultiDiscrete and
     * MultiBinary {@code numEnvs() * actionSize()} values, env {@code i}'s at {@code [i * actionSize(), ...)}.
     */
    public final void step(int[] actions) {
        checkCanStep();
        switch (actionKind) {
            case DISCRETE -> {
                checkLength(actions.length, numEnvs, "step(int[])", "one action per env");
                Discrete d = (Discrete) actionSpace;
                for (int i = 0; i < numEnvs; i++) {
                    if (!d.contains(actions[i])) {
                        throw new IllegalArgumentException(id() + " vector env: action " + actions[i] + " for env " + i
                                + " is not in the action space " + actionSpace);
                    }
                }
                System.arraycopy(actions, 0, discreteActions, 0, numEnvs);
            }
            case INT_VECTOR -> {
                checkLength(actions.length, numEnvs * actionSize, "step(int[])", actionSize + " numbers per env");
                for (int i = 0; i < numEnvs; i++) {
                    System.arraycopy(actions, i * actionSize, intActions[i], 0, actionSize);
                    boolean ok = actionSpace instanceof MultiDiscrete md ? md.contains(intActions[i])
                            : ((MultiBinary) actionSpace).contains(intActions[i]);
                    if (!ok) {
                        throw new IllegalArgumentException(id() + " vector env: action " + Arrays.toString(intActions[i])
                                + " for env " + i + " is not in the action space " + actionSpace);
                    }
                }
            }
            case BOX -> throw new IllegalArgumentException(id() + " vector env: step(int[]) needs a Discrete,"
                    + " MultiDiscrete or MultiBinary action space, but the single action space is " + actionSpace
                    + "; use step(double[])");
        }
        run(Command.STEP);
    }

    /** Steps every env with a Box action space: {@code numEnvs() * actionSize()} numbers, env {@code i}'s first at {@code i * actionSize()}. */
    public final void step(double[] actions) {
        checkCanStep();
        if (actionKind != ActionKind.BOX) {
            throw new IllegalArgumentException(id() + " vector env: step(double[]) needs a Box action space, but the"
                    + " single action space is " + actionSpace + "; use step(int[])");
        }
        checkLength(actions.length, numEnvs * actionSize, "step(double[])", actionSize + " numbers per env");
        for (int i = 0; i < numEnvs; i++) {
            if (!actionSpace.containsFlat(actions, i * actionSize)) {
                double[] a = Arrays.copyOfRange(actions, i * actionSize, (i + 1) * actionSize);
                String what = Arrays.stream(a).anyMatch(Double::isNaN) ? " contains NaN"
                        : " is not in the action space " + actionSpace;
                throw new IllegalArgumentException(id() + " vector env: action " + Arrays.toString(a) + " for env " + i + what);
            }
            System.arraycopy(actions, i * actionSize, boxActions[i], 0, actionSize);
        }
        run(Command.STEP);
    }

    /** Every env's current observation, flat ({@code numEnvs() * observationSize()}); owned and overwritten. */
    public final double[] observations() {
        return observations;
    }

    public final double[] rewards() {
        return rewards;
    }

    public final boolean[] terminated() {
        return terminated;
    }

    public final boolean[] truncated() {
        return truncated;
    }

    /** Whether env {@code i}'s episode ended on the last step (so {@link #finalObservations()} holds its last observation). */
    public final boolean[] hasFinalObservation() {
        return hasFinalObservation;
    }

    /** The last observation of each episode that ended on the last step, flat; zeros for the other envs. */
    public final double[] finalObservations() {
        return finalObservations;
    }

    /** The last info of env {@code i}'s episode if it ended on the last step, else empty. */
    public final Info finalInfo(int i) {
        checkIndex(i);
        return finalInfos[i];
    }

    /** Numbers in one env's action mask ({@link #actionMask(int)}), 0 when the envs have no action mask. */
    public final int actionMaskSize() {
        return actionMaskSize;
    }

    /**
     * The action mask of the last observation of each episode that ended on the last step, flat
     * ({@code numEnvs() * actionMaskSize()}, env {@code i}'s at {@code i * actionMaskSize()}); all false for the other
     * envs. Null when the envs have no action mask.
     */
    public final boolean[] finalActionMasks() {
        return finalActionMasks;
    }

    /** Env {@code i}'s current info: of its last step, or of its reset if it was (automatically) reset. */
    public final Info info(int i) {
        checkIndex(i);
        if (lastResults[i] == null) {
            throw new IllegalStateException(id() + " vector env: info(" + i + ") read before reset()");
        }
        return lastResults[i].info();
    }

    /** Env {@code i}'s current action mask, or null if its env has none. */
    public final boolean[] actionMask(int i) {
        checkIndex(i);
        if (lastResults[i] == null) {
            throw new IllegalStateException(id() + " vector env: actionMask(" + i + ") read before reset()");
        }
        return lastResults[i].actionMask();
    }

    public final boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    /** Stops any threads and closes every env. Further use is an error; closing twice is not. */
    @Override
    public final void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        RuntimeException failure = null;
        try {
            shutdown();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int i = 0; i < numEnvs; i++) {
            try {
                envs[i].close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new VectorEnvException(i, envs[i].id(), "close()", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + id() + " x " + numEnvs + ">";
    }

    // ---- checkpoints ----

    /** Saves every env and the current outputs (observations, last rewards and flags, final observations and infos). */
    @Override
    public final void saveState(StateWriter out) {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException(id() + " vector env: cannot save the state of a closed vector env");
        }
        out.putLong("num_envs", numEnvs);
        for (int i = 0; i < numEnvs; i++) {
            envs[i].saveState(out.scope("envs").scope(Integer.toString(i)));
        }
        out.putEnum("phase", phase);
        out.putString("needs_reset_reason", needsResetReason);
        out.putLong("base_seed", baseSeed);
        out.putDoubles("observations", observations);
        out.putDoubles("rewards", rewards);
        out.putBooleans("terminated", terminated);
        out.putBooleans("truncated", truncated);
        out.putBooleans("has_final_observation", hasFinalObservation);
        out.putDoubles("final_observations", finalObservations);
        if (finalActionMasks != null) {
            out.putBooleans("final_action_masks", finalActionMasks);
        }
        boolean[] hasResult = new boolean[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            hasResult[i] = lastResults[i] != null;
            List<String> keys = new ArrayList<>();
            double[] values = new double[finalInfos[i].size()];
            for (int k = 0; k < values.length; k++) {
                keys.add(finalInfos[i].key(k));
                values[k] = finalInfos[i].value(k);
            }
            StateWriter info = out.scope("final_infos").scope(Integer.toString(i));
            info.putString("keys", Json.write(keys));
            info.putDoubles("values", values);
        }
        out.putBooleans("has_result", hasResult);
    }

    /** Restores a state saved from a vector env of as many envs of the same kind (freshly made, not closed). */
    @Override
    public final void restoreState(StateReader in) {
        checkOpen("restoreState");
        long saved = in.getLong("num_envs");
        if (saved != numEnvs) {
            throw in.error("num_envs", "the state has " + saved + " envs but this vector env has " + numEnvs);
        }
        Phase savedPhase = in.getEnum("phase", Phase.class);
        if (savedPhase == Phase.CLOSED) {
            throw in.error("phase", "a closed vector env cannot be restored");
        }
        boolean[] hasResult = in.booleans("has_result");
        in.checkLength("has_result", hasResult.length, numEnvs);
        for (int i = 0; i < numEnvs; i++) {
            envs[i].restoreState(in.scope("envs").scope(Integer.toString(i)));
        }
        phase = savedPhase;
        needsResetReason = in.getString("needs_reset_reason");
        baseSeed = in.getLong("base_seed");
        in.readDoubles("observations", observations);
        in.readDoubles("rewards", rewards);
        in.readBooleans("terminated", terminated);
        in.readBooleans("truncated", truncated);
        in.readBooleans("has_final_observation", hasFinalObservation);
        in.readDoubles("final_observations", finalObservations);
        if (finalActionMasks != null) {
            // States saved before final masks were kept have none: only the last step's outputs lack them.
            if (in.has("final_action_masks")) {
                in.readBooleans("final_action_masks", finalActionMasks);
            } else {
                Arrays.fill(finalActionMasks, false);
            }
        }
        for (int i = 0; i < numEnvs; i++) {
            lastResults[i] = hasResult[i] ? envs[i].lastResult() : null;
            StateReader info = in.scope("final_infos").scope(Integer.toString(i));
            double[] values = info.doubles("values");
            Object keys;
            try {
                keys = Json.parse(info.getString("keys"));
            } catch (Json.JsonException e) {
                keys = null;
            }
            if (!(keys instanceof List<?> list) || list.size() != values.length
                    || !list.stream().allMatch(String.class::isInstance)) {
                throw info.error("keys", "must be a JSON list of " + values.length + " strings");
            }
            finalInfos[i].clear();
            for (int k = 0; k < values.length; k++) {
                finalInfos[i].put((String) list.get(k), values[k]);
            }
        }
    }

    // ---- for implementations ----

    /**
     * Runs {@link #runEnvs} over every env once (in any partition, on any threads) and returns when all are done.
     * The results must be visible to the calling thread on return.
     */
    protected abstract void execute();

    /** Stops the implementation's threads, if any; called once by {@link #close()} before the envs are closed. */
    protected void shutdown() {}

    /**
     * Does the current call's work for envs {@code from} (inclusive) to {@code to} (exclusive). An exception in an
     * env is recorded and ends the work on this range; the caller of {@link #execute()} reports it.
     */
    protected final void runEnvs(int from, int to) {
        for (int i = from; i < to; i++) {
            try {
                runEnv(i);
            } catch (Throwable t) {
                failures[i] = t;
                return;
            }
        }
    }

    private void run(Command next) {
        command = next;
        execute();
        for (int i = 0; i < numEnvs; i++) {
            if (failures[i] != null) {
                Throwable cause = failures[i];
                Arrays.fill(failures, null);
                phase = Phase.NEEDS_RESET;
                needsResetReason = "after env " + i + " failed";
                throw new VectorEnvException(i, envs[i].id(), next == Command.STEP ? "step()" : "reset()", cause);
            }
        }
        phase = Phase.RUNNING;
    }

    private void runEnv(int i) {
        Env env = envs[i];
        StepResult r;
        switch (command) {
            case RESET_SEEDED -> r = env.reset(baseSeed + i);
            case RESET -> r = env.reset();
            case STEP -> {
                r = switch (actionKind) {
                    case DISCRETE -> env.step(discreteActions[i]);
                    case BOX -> env.step(boxActions[i]);
                    case INT_VECTOR -> env.step(intActions[i]);
                };
                rewards[i] = r.reward();
                terminated[i] = r.terminated();
                truncated[i] = r.truncated();
                if (r.done()) {
                    hasFinalObservation[i] = true;
                    System.arraycopy(r.observation(), 0, finalObservations, i * obsSize, obsSize);
                    finalInfos[i].clear();
                    finalInfos[i].putAll(r.info());
                    if (finalActionMasks != null) {
                        copyMask(r.actionMask(), i);
                    }
                    r = env.reset();
                } else {
                    clearFinal(i);
                }
                lastResults[i] = r;
                System.arraycopy(r.observation(), 0, observations, i * obsSize, obsSize);
                return;
            }
            default -> throw new AssertionError(command);
        }
        rewards[i] = 0.0;
        terminated[i] = false;
        truncated[i] = false;
        clearFinal(i);
        lastResults[i] = r;
        System.arraycopy(r.observation(), 0, observations, i * obsSize, obsSize);
    }

    private void clearFinal(int i) {
        if (hasFinalObservation[i]) {
            hasFinalObservation[i] = false;
            Arrays.fill(finalObservations, i * obsSize, (i + 1) * obsSize, 0.0);
            finalInfos[i].clear();
            if (finalActionMasks != null) {
                Arrays.fill(finalActionMasks, i * actionMaskSize, (i + 1) * actionMaskSize, false);
            }
        }
    }

    private static String describeMask(boolean[] mask) {
        return mask == null ? "no action mask" : "an action mask of " + mask.length + " actions";
    }

    private void copyMask(boolean[] mask, int i) {
        System.arraycopy(mask, 0, finalActionMasks, i * actionMaskSize, actionMaskSize);
    }

    private void checkOpen(String call) {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException(id() + " vector env: " + call + "() called after close()");
        }
    }

    private void checkCanStep() {
        switch (phase) {
            case RUNNING -> { }
            case NEEDS_RESET -> throw new IllegalStateException(id() + " vector env: step() called " + needsResetReason
                    + "; call reset() first");
            case CLOSED -> throw new IllegalStateException(id() + " vector env: step() called after close()");
        }
    }

    private void checkLength(int length, int expected, String call, String what) {
        if (length != expected) {
            throw new IllegalArgumentException(id() + " vector env: " + call + " got " + length + " actions, but "
                    + numEnvs + " envs with action space " + actionSpace + " need " + expected + " (" + what + ")");
        }
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= numEnvs) {
            throw new IndexOutOfBoundsException("env index " + i + " is outside [0, " + numEnvs + ")");
        }
    }
}
