package dev.deepq.algo;

import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.io.Json;
import dev.deepq.io.SafeTensors;
import dev.deepq.io.SpaceCodec;
import dev.deepq.random.Rng;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.Agent;
import dev.deepq.train.LinearSchedule;
import dev.deepq.train.RecordConfigs;
import dev.deepq.train.StepBatch;
import dev.deepq.train.TrainingMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Tabular temporal-difference control for Discrete observation and action spaces (Sutton and Barto, ch. 6):
 * Q-learning, SARSA, Expected SARSA and Double Q-learning, chosen by {@link TabularConfig#rule()}.
 *
 * <pre>
 *   act:     a = random action with probability epsilon(step), else argmax_a Q(s, a)  (valid actions only)
 *   observe: Q(s, a) += alpha * (target - Q(s, a)), where target = r                       if s' is terminal
 *                                                              r + gamma * V(s')           otherwise (also on truncation)
 *            V(s') = max_a' Q(s', a')               Q-learning
 *                    Q(s', a'), a' taken next        SARSA (a' is chosen here and used by the next act)
 *                    sum_a' pi(a'|s') Q(s', a')      Expected SARSA, pi epsilon-greedy
 *                    Q_B(s', argmax Q_A(s', .))      Double Q-learning (A and B swap by a fair coin)
 * </pre>
 * For envs with action masks (Taxi) every a' above ranges over the actions valid in s' (for an ended episode, its
 * final state's mask), as acting does: max and argmax over valid actions, Expected SARSA's policy
 * {@code eps * mean_valid Q + (1 - eps) * max_valid Q}, SARSA's a' drawn epsilon-greedily among valid actions. An
 * invalid action is never taken, so its Q keeps its initial value, which a max over all actions would bootstrap from.
 * A state without any valid action (none exists in the built-in envs) falls back to all actions.
 * Ties in argmax are broken uniformly at random while training (so an all-zero table still explores evenly) and by
 * the lowest index in {@link #predict}. Every draw comes from the agent's own seeded generator.
 */
public final class TabularAgent implements Agent, Checkpointable {
    private static final int METRIC_EPSILON = 0;
    private static final int METRIC_TD_ERROR = 1;

    private final TabularConfig config;
    private final int numStates;
    private final int numActions;
    /** Q(s, a) at {@code s * numActions + a}; for Double Q-learning, table A. */
    private final double[] q;
    /** Table B of Double Q-learning, else null. */
    private final double[] qB;
    private final LinearSchedule epsilon;
    private final Rng rng;
    private final int[] ties;
    /** SARSA's next action per env, chosen when the previous step was learned from; -1 when none. */
    private int[] sarsaNext;
    private final TrainingMetrics metrics = new TrainingMetrics("epsilon", "td_error_abs");

    public TabularAgent(Space observationSpace, Space actionSpace, TabularConfig config, long seed) {
        if (!(observationSpace instanceof Discrete obs)) {
            throw new IllegalArgumentException("tabular agents need a Discrete observation space, got " + observationSpace
                    + "; use DQN for continuous observations");
        }
        if (!(actionSpace instanceof Discrete act)) {
            throw new IllegalArgumentException("tabular agents need a Discrete action space, got " + actionSpace);
        }
        if (obs.start() != 0 || act.start() != 0) {
            throw new IllegalArgumentException("tabular agents need spaces starting at 0, got " + observationSpace
                    + " and " + actionSpace);
        }
        this.config = config;
        this.numStates = obs.n();
        this.numActions = act.n();
        this.q = new double[numStates * numActions];
        Arrays.fill(q, config.initialQ());
        this.qB = config.rule() == TabularConfig.Rule.DOUBLE_Q_LEARNING ? q.clone() : null;
        this.epsilon = LinearSchedule.overFraction(config.epsilonStart(), config.epsilonEnd(),
                config.explorationFraction(), config.totalSteps());
        this.rng = Rng.derived(seed, 1);
        this.ties = new int[numActions];
    }

    @Override
    public void act(VectorEnv env, long step, ActionBatch out) {
        double eps = epsilon.valueAt(step);
        metrics.set(METRIC_EPSILON, eps);
        double[] observations = env.observations();
        int[] actions = out.discrete();
        for (int i = 0; i < env.numEnvs(); i++) {
            if (sarsaNext != null && sarsaNext[i] >= 0) {
                actions[i] = sarsaNext[i];
            } else {
                actions[i] = epsilonGreedy(stateOf(observations[i]), env.actionMask(i), 0, eps);
            }
        }
    }

    @Override
    public void observe(StepBatch batch, long step) {
        int n = batch.numEnvs();
        if (config.rule() == TabularConfig.Rule.SARSA && (sarsaNext == null || sarsaNext.length != n)) {
            sarsaNext = new int[n];
        }
        double eps = epsilon.valueAt(step);
        int[] actions = batch.actions().discrete();
        boolean[] masks = batch.nextActionMasks();
        if (masks != null && batch.actionMaskSize() != numActions) {
            throw new IllegalArgumentException("tabular agent: the env's action masks have " + batch.actionMaskSize()
                    + " entries but its action space has " + numActions + " actions");
        }
        double tdSum = 0;
        for (int i = 0; i < n; i++) {
            int s = stateOf(batch.observations()[i]);
            int a = actions[i];
            int next = stateOf(batch.nextObservations()[i]);
            int maskOffset = i * numActions;
            boolean terminal = batch.terminated()[i];
            double[] table = q;
            double[] other = null;
            if (qB != null && rng.random() < 0.5) {
                table = qB;
                other = q;
            } else if (qB != null) {
                other = qB;
            }
            double bootstrap = 0;
            if (!terminal) {
                bootstrap = switch (config.rule()) {
                    case Q_LEARNING -> table[next * numActions + argmaxFirst(table, next, masks, maskOffset)];
                    case SARSA -> {
                        // The action the next act takes in s' (unless s' is a truncated episode's final state).
                        int nextAction = epsilonGreedy(next, masks, maskOffset, eps);
                        sarsaNext[i] = batch.truncated()[i] ? -1 : nextAction;
                        yield table[next * numActions + nextAction];
                    }
                    case EXPECTED_SARSA -> expectedValue(next, masks, maskOffset, eps);
                    case DOUBLE_Q_LEARNING -> other[next * numActions + argmaxFirst(table, next, masks, maskOffset)];
                };
            } else if (sarsaNext != null) {
                sarsaNext[i] = -1;
            }
            double target = batch.rewards()[i] + config.gamma() * bootstrap;
            int index = s * numActions + a;
            double tdError = target - table[index];
            table[index] += config.learningRate() * tdError;
            tdSum += Math.abs(tdError);
        }
        metrics.set(METRIC_TD_ERROR, tdSum / n);
    }

    @Override
    public void predict(double[] observation, boolean[] actionMask, double[] actionOut) {
        actionOut[0] = greedyAction(stateOf(observation[0]), actionMask);
    }

    /** The greedy action in state {@code s} among valid actions (lowest index on ties); Double Q uses Q_A + Q_B. */
    public int greedyAction(int s, boolean[] actionMask) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < numActions; a++) {
            if (actionMask != null && !actionMask[a]) {
                continue;
            }
            double v = value(s, a);
            if (best < 0 || v > bestValue) {
                best = a;
                bestValue = v;
            }
        }
        return best < 0 ? 0 : best;
    }

    @Override
    public TrainingMetrics metrics() {
        return metrics;
    }

    /** Q(s, a) (for Double Q-learning, the sum of both tables, which is what acting uses). */
    public double value(int s, int a) {
        int i = s * numActions + a;
        return qB == null ? q[i] : q[i] + qB[i];
    }

    /** A copy of the Q table ({@code s * numActions + a}); for Double Q-learning, table A. */
    public double[] qTable() {
        return q.clone();
    }

    @Override
    public TabularConfig config() {
        return config;
    }

    // ---- checkpoints ----

    /** Saves the table(s), the generator, SARSA's pending next actions and the latest metrics. */
    @Override
    public void saveState(StateWriter out) {
        out.putString("config", Json.write(RecordConfigs.toMap(config)));
        out.putDoubleTensor("q", q, numStates, numActions);
        if (qB != null) {
            out.putDoubleTensor("q_b", qB, numStates, numActions);
        }
        out.putRng("rng", rng);
        out.putInts("sarsa_next", sarsaNext == null ? new int[0] : sarsaNext);
        out.putPart("metrics", metrics);
    }

    /** Restores a state saved by a tabular agent of the same config and spaces (a differing config is refused first). */
    @Override
    public void restoreState(StateReader in) {
        String difference = RecordConfigs.difference(Json.parseObject(in.getString("config")), config);
        if (difference != null) {
            throw in.error("config", "saved by a tabular agent of another configuration (" + difference + ")");
        }
        double[] table = new double[q.length];
        in.readDoubleTensor("q", table, numStates, numActions);
        int[] next = in.ints("sarsa_next");
        for (int a : next) {
            if (a < -1 || a >= numActions) {
                throw in.error("sarsa_next", "holds action " + a + ", outside [-1, " + (numActions - 1) + "]");
            }
        }
        if (qB != null) {
            in.readDoubleTensor("q_b", qB, numStates, numActions);
        }
        System.arraycopy(table, 0, q, 0, q.length);
        in.readRng("rng", rng);
        sarsaNext = next.length == 0 ? null : next;
        in.readPart("metrics", metrics);
    }

    // ---- model files ----

    /** The format name written into tabular model files. */
    public static final String MODEL_FORMAT = "deepq.tabular";
    public static final int MODEL_FORMAT_VERSION = 1;

    /**
     * Writes the Q table(s) as a safetensors file (F64 tensor {@code q} of shape [states, actions], and {@code q_b}
     * for Double Q-learning) with the config and spaces in its metadata, atomically.
     */
    public void save(Path path) throws IOException {
        SafeTensors.Builder file = SafeTensors.builder().put("q", q, numStates, numActions);
        if (qB != null) {
            file.put("q_b", qB, numStates, numActions);
        }
        file.metadata("format", MODEL_FORMAT)
                .metadata("format_version", Integer.toString(MODEL_FORMAT_VERSION))
                .metadata("config", Json.write(RecordConfigs.toMap(config)))
                .metadata("observation_space", Json.write(SpaceCodec.toMap(new Discrete(numStates))))
                .metadata("action_space", Json.write(SpaceCodec.toMap(new Discrete(numActions))))
                .write(path);
    }

    /**
     * Reads a model written by {@link #save}: an agent with the saved table(s) that acts greedily. A file that is not
     * a deepq tabular model, of another format version, or whose tables do not fit its spaces is refused with an
     * IOException naming the file and the problem.
     */
    public static TabularAgent load(Path path) throws IOException {
        SafeTensors file = SafeTensors.read(path);
        Map<String, String> meta = file.metadata();
        if (!MODEL_FORMAT.equals(meta.get("format"))) {
            throw new IOException(path + ": not a deepq tabular model (format is " + meta.get("format") + ", expected "
                    + MODEL_FORMAT + ")");
        }
        if (!Integer.toString(MODEL_FORMAT_VERSION).equals(meta.get("format_version"))) {
            throw new IOException(path + ": tabular model format version " + meta.get("format_version")
                    + " is not supported; this deepq reads version " + MODEL_FORMAT_VERSION);
        }
        try {
            TabularConfig config = RecordConfigs.with(TabularConfig.defaults(1), Json.parseObject(meta.get("config")));
            Space observation = SpaceCodec.fromMap(Json.parse(meta.get("observation_space")));
            Space action = SpaceCodec.fromMap(Json.parse(meta.get("action_space")));
            TabularAgent agent = new TabularAgent(observation, action, config, 0);
            copyTable(path, file.doubles("q"), agent.q);
            if (agent.qB != null) {
                copyTable(path, file.doubles("q_b"), agent.qB);
            }
            return agent;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(path + ": the model does not fit its own description: " + e.getMessage(), e);
        }
    }

    private static void copyTable(Path path, double[] from, double[] to) throws IOException {
        if (from.length != to.length) {
            throw new IOException(path + ": a Q table of " + from.length + " values does not fit " + to.length
                    + " state-action pairs");
        }
        System.arraycopy(from, 0, to, 0, to.length);
    }

    /** Epsilon-greedy among the actions valid in {@code actionMask[offset ..]} (all if null), random ties. */
    private int epsilonGreedy(int s, boolean[] actionMask, int offset, double eps) {
        if (rng.random() < eps) {
            return randomValidAction(actionMask, offset);
        }
        int count = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < numActions; a++) {
            if (actionMask != null && !actionMask[offset + a]) {
                continue;
            }
            double v = value(s, a);
            if (count == 0 || v > bestValue) {
                bestValue = v;
                count = 0;
            }
            if (v == bestValue) {
                ties[count++] = a;
            }
        }
        if (count == 0) {
            return epsilonGreedyAmongAll(s);
        }
        return count == 1 ? ties[0] : ties[(int) rng.integers(count)];
    }

    /** The greedy choice when no action is valid (never in the built-in envs): greedy among all, random ties. */
    private int epsilonGreedyAmongAll(int s) {
        int count = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < numActions; a++) {
            double v = value(s, a);
            if (count == 0 || v > bestValue) {
                bestValue = v;
                count = 0;
            }
            if (v == bestValue) {
                ties[count++] = a;
            }
        }
        return count == 1 ? ties[0] : ties[(int) rng.integers(count)];
    }

    private int randomValidAction(boolean[] actionMask, int offset) {
        int valid = validCount(actionMask, offset);
        if (valid == 0) {
            return (int) rng.integers(numActions);
        }
        int pick = (int) rng.integers(valid);
        for (int a = 0; a < numActions; a++) {
            if (actionMask[offset + a] && pick-- == 0) {
                return a;
            }
        }
        throw new AssertionError("unreachable");
    }

    /** Valid actions in {@code actionMask[offset ..]}; 0 for no mask or an all-invalid one (callers use all then). */
    private int validCount(boolean[] actionMask, int offset) {
        if (actionMask == null) {
            return 0;
        }
        int valid = 0;
        for (int a = 0; a < numActions; a++) {
            valid += actionMask[offset + a] ? 1 : 0;
        }
        return valid;
    }

    /** The first action with the largest {@code table} value in state {@code s} among valid ones (all if none). */
    private int argmaxFirst(double[] table, int s, boolean[] actionMask, int offset) {
        boolean all = validCount(actionMask, offset) == 0;
        int best = -1;
        for (int a = 0; a < numActions; a++) {
            if (!all && !actionMask[offset + a]) {
                continue;
            }
            if (best < 0 || table[s * numActions + a] > table[s * numActions + best]) {
                best = a;
            }
        }
        return best;
    }

    /**
     * E[Q(s', a')] under the epsilon-greedy policy acting follows: a random valid action with probability eps, else a
     * greedy valid one: {@code eps * mean_valid Q + (1 - eps) * max_valid Q}.
     */
    private double expectedValue(int s, boolean[] actionMask, int offset, double eps) {
        boolean all = validCount(actionMask, offset) == 0;
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (int a = 0; a < numActions; a++) {
            if (!all && !actionMask[offset + a]) {
                continue;
            }
            double v = q[s * numActions + a];
            sum += v;
            max = Math.max(max, v);
            count++;
        }
        return eps * (sum / count) + (1 - eps) * max;
    }

    private int stateOf(double observation) {
        int s = (int) observation;
        if (s != observation || s < 0 || s >= numStates) {
            throw new IllegalArgumentException("observation " + observation + " is not a state of Discrete(" + numStates + ")");
        }
        return s;
    }
}
