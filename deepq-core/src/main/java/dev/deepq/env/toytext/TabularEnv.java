package dev.deepq.env.toytext;

import dev.deepq.env.Env;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.random.Rng;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.List;

/**
 * A finite MDP with Gymnasium's toy-text mechanics: a transition table {@code P[s][a]} of {@link Transition}s, an
 * initial-state distribution, and one integer state that is also the observation.
 *
 * <p>Sampling follows Gymnasium's {@code categorical_sample}: {@code argmax(cumsum(p) > np_random.random())}, one
 * draw from {@link #rng()} on every reset and every step, even when the outcome is certain. That is what keeps
 * deepq's envs on the same random stream as Gymnasium's, so slippery moves and later starts replay bit for bit.
 *
 * <p>Every reset and step puts {@code prob} (the probability of the outcome that happened) into the info.
 * The table is public ({@link #transitions}, {@link #initialStateDistribution}) for tabular and model-based methods.
 */
public abstract class TabularEnv extends Env {
    /** Info key: the probability of the transition just taken (1 on reset), as Gymnasium's {@code info["prob"]}. */
    public static final String INFO_PROB = "prob";

    private final int stateCount;
    private final int actionCount;
    /** Outcomes indexed by {@code state * actionCount + action}. */
    private final Transition[][] table;
    /** Running sums of each outcome list's probabilities, summed left to right as {@code np.cumsum} does. */
    private final double[][] cumulative;
    private final double[] initialDistribution;
    private final double[] initialCumulative;
    private int state;
    private int lastAction = -1;

    /**
     * @param table {@code table[s][a]} lists the outcomes of action {@code a} in state {@code s}, in Gymnasium's order
     * @param initialDistribution the probability of starting in each state
     * @param hasActionMask whether the env reports valid actions
     */
    protected TabularEnv(Transition[][][] table, double[] initialDistribution, boolean hasActionMask) {
        super(new Discrete(table.length), new Discrete(table[0].length), hasActionMask);
        this.stateCount = table.length;
        this.actionCount = table[0].length;
        if (initialDistribution.length != stateCount) {
            throw new IllegalArgumentException("initial distribution has " + initialDistribution.length
                    + " entries for " + stateCount + " states");
        }
        this.table = new Transition[stateCount * actionCount][];
        this.cumulative = new double[stateCount * actionCount][];
        for (int s = 0; s < stateCount; s++) {
            if (table[s].length != actionCount) {
                throw new IllegalArgumentException("transition table row " + s + " has " + table[s].length
                        + " actions but row 0 has " + actionCount);
            }
            for (int a = 0; a < actionCount; a++) {
                if (table[s][a] == null || table[s][a].length == 0) {
                    throw new IllegalArgumentException("transition table P[" + s + "][" + a + "] has no outcomes");
                }
                for (Transition t : table[s][a]) {
                    if (t.nextState() < 0 || t.nextState() >= stateCount) {
                        throw new IllegalArgumentException("transition table P[" + s + "][" + a + "] leads to state "
                                + t.nextState() + ", outside 0.." + (stateCount - 1));
                    }
                }
                Transition[] outcomes = table[s][a].clone();
                double[] probabilities = new double[outcomes.length];
                for (int k = 0; k < outcomes.length; k++) {
                    probabilities[k] = outcomes[k].probability();
                }
                this.table[s * actionCount + a] = outcomes;
                this.cumulative[s * actionCount + a] = cumulativeSum(probabilities);
            }
        }
        this.initialDistribution = initialDistribution.clone();
        this.initialCumulative = cumulativeSum(initialDistribution);
    }

    private static double[] cumulativeSum(double[] p) {
        double[] sums = new double[p.length];
        double sum = 0.0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i];
            sums[i] = sum;
        }
        return sums;
    }

    /**
     * Gymnasium's {@code categorical_sample}: the first index whose running sum exceeds one uniform draw
     * ({@code np.argmax} of an all-false array is 0).
     */
    static int categoricalSample(double[] cumulative, Rng rng) {
        double u = rng.random();
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] > u) {
                return i;
            }
        }
        return 0;
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        state = categoricalSample(initialCumulative, rng());
        lastAction = -1;
        observation[0] = state;
        info.put(INFO_PROB, 1.0);
        onStateChanged();
    }

    @Override
    protected void stepEnv(int action) {
        int index = state * actionCount + action;
        Transition outcome = table[index][categoricalSample(cumulative[index], rng())];
        state = outcome.nextState();
        lastAction = action;
        observation[0] = state;
        info.put(INFO_PROB, outcome.probability());
        onStateChanged();
        result.set(outcome.reward(), outcome.terminated(), false);
    }

    @Override
    protected void saveEnvState(StateWriter out) {
        out.putLong("s", state);
        out.putLong("last_action", lastAction);
    }

    @Override
    protected void restoreEnvState(StateReader in) {
        int s = in.getInt("s", 0, stateCount - 1);
        lastAction = in.getInt("last_action", -1, actionCount - 1);
        setState(s);
    }

    /** Called after the state changed (reset, step, {@link #setState}); Taxi refreshes its action mask here. */
    protected void onStateChanged() {}

    /** Number of states (the size of the observation space). */
    public final int stateCount() {
        return stateCount;
    }

    /** Number of actions (the size of the action space). */
    public final int actionCount() {
        return actionCount;
    }

    /** Gymnasium's {@code P[state][action]}: the possible outcomes, in Gymnasium's order (an immutable copy). */
    public final List<Transition> transitions(int state, int action) {
        checkState(state);
        if (action < 0 || action >= actionCount) {
            throw new IllegalArgumentException(id() + ": action " + action + " is outside 0.." + (actionCount - 1));
        }
        return List.of(table[state * actionCount + action]);
    }

    /** Gymnasium's {@code initial_state_distrib}: the probability of starting in each state (a copy). */
    public final double[] initialStateDistribution() {
        return initialDistribution.clone();
    }

    /** The current state ({@code env.unwrapped.s}). */
    public final int state() {
        return state;
    }

    /**
     * Puts the env in {@code newState}; the observation (and Taxi's action mask) follow. The last action is kept.
     * For planning, tests and checkpoint restore.
     */
    public final void setState(int newState) {
        checkState(newState);
        state = newState;
        observation[0] = newState;
        onStateChanged();
    }

    /** The action of the last step, or -1 after a reset (Gymnasium's {@code lastaction = None}). For rendering. */
    public final int lastAction() {
        return lastAction;
    }

    private void checkState(int s) {
        if (s < 0 || s >= stateCount) {
            throw new IllegalArgumentException(id() + ": state " + s + " is outside 0.." + (stateCount - 1));
        }
    }

    @Override
    public boolean supportsTextRender() {
        return true;
    }

    /** ANSI escape for colored text, as Gymnasium's {@code utils.colorize}. */
    static String colorize(String text, int colorCode, boolean bold, boolean highlight) {
        int code = highlight ? colorCode + 10 : colorCode;
        return "\u001b[" + code + (bold ? ";1" : "") + "m" + text + "\u001b[0m";
    }

    static final int RED = 31;
    static final int GREEN = 32;
    static final int YELLOW = 33;
    static final int BLUE = 34;
    static final int MAGENTA = 35;
}
