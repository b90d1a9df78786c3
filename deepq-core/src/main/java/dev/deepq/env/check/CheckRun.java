package dev.deepq.env.check;

import dev.deepq.env.Env;
import dev.deepq.env.RgbFrame;
import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiBinary;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.random.Rng;
import dev.deepq.random.SeedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One check of one env: the rollouts, the comparisons and the problems found. Not reusable. */
final class CheckRun {
    /**
     * Written into the observation array before a reset: an element that still holds exactly these bits afterwards
     * was not written by the env (arithmetic never produces this NaN payload by chance).
     */
    private static final long UNWRITTEN_BITS = 0x7FF8_DEAD_BEEF_0001L;
    private static final int MAX_LISTED = 3;
    /** The spawn key of the action stream, so the checker's actions never share draws with the env's generator. */
    private static final int ACTION_STREAM = 0x0AC7;
    private static final Pattern ARRAY_INDEX = Pattern.compile("Index (-?\\d+) out of bounds for length (\\d+)");

    private final Env env;
    private final EnvCheckOptions options;
    private final String name;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private Space observationSpace;
    private Space actionSpace;
    private double[] action;
    private int stepsTaken;
    /** The env's result object once known, so the observation array can be marked before the next reset. */
    private StepResult lastResult;

    /** A problem and how often it occurred (reported once, with the count). */
    private static final class Finding {
        final Problem.Severity severity;
        final Problem.Kind kind;
        final String message;
        int count = 1;

        Finding(Problem.Severity severity, Problem.Kind kind, String message) {
            this.severity = severity;
            this.kind = kind;
            this.message = message;
        }
    }

    /** One reset or step as the env reported it, for comparing runs. */
    private record Record(String label, double[] observation, double reward, boolean terminated, boolean truncated,
                          boolean[] mask) {}

    /** Thrown (internally) when an env call failed and the current check cannot go on; the problem is recorded. */
    private static final class Aborted extends Exception {
        private static final long serialVersionUID = 1L;

        Aborted() {
            super(null, null, false, false);
        }
    }

    CheckRun(Env env, EnvCheckOptions options) {
        this.env = env;
        this.options = options;
        this.name = nameOf(env);
    }

    private static String nameOf(Env env) {
        String id = null;
        try {
            id = env.id();
        } catch (RuntimeException e) {
            // an env whose id() fails is still checked, under its class name
        }
        return id == null || id.isBlank() ? env.getClass().getName() : id;
    }

    EnvCheckReport run() {
        if (checkSpaces()) {
            try {
                StepResult result = call("reset(seed=" + options.seed() + ")", Problem.Kind.RESET,
                        () -> env.reset(options.seed()));
                checkObservationArray(result);
                lastResult = result;
                List<Record> first = rollout(options.seed(), true);
                List<Record> again = rollout(options.seed(), false);
                boolean deterministic = compareRuns(first, again);
                List<Record> otherSeed = rollout(options.seed() + 1, false);
                compareSeeds(first, otherSeed);
                checkUnseededResets(deterministic);
                checkEpisodeEnd();
                if (options.checkRender()) {
                    checkRender();
                }
            } catch (Aborted e) {
                // the failure is already recorded; later checks depend on the env working
            }
        }
        List<Problem> problems = new ArrayList<>();
        for (Finding f : findings.values()) {
            String message = f.count > 1 ? f.message + " (seen " + f.count + " times; the first is shown)" : f.message;
            problems.add(new Problem(f.severity, f.kind, message));
        }
        return new EnvCheckReport(name, problems, stepsTaken);
    }

    // ---- spaces ----

    private boolean checkSpaces() {
        try {
            observationSpace = env.observationSpace();
            actionSpace = env.actionSpace();
        } catch (RuntimeException e) {
            error(Problem.Kind.SPACES, "spaces", "observationSpace()/actionSpace() threw " + describe(e));
            return false;
        }
        if (observationSpace == null || actionSpace == null) {
            error(Problem.Kind.SPACES, "spaces", (observationSpace == null ? "the observation space" : "the action space")
                    + " is null: pass both spaces to the Env constructor");
            return false;
        }
        action = new double[actionSpace.size()];
        if (actionSpace instanceof Box box) {
            for (int i = 0; i < box.size(); i++) {
                if (!box.isBoundedBelow(i) || !box.isBoundedAbove(i)) {
                    warning(Problem.Kind.SPACES, "unbounded-action", "the action space " + actionSpace + " is unbounded in"
                            + " element " + i + ": random exploration then draws from normal or exponential"
                            + " distributions and agents cannot scale their outputs to it; give every action dimension"
                            + " finite bounds (ideally [-1, 1], rescaled inside the env)");
                    break;
                }
            }
        }
        return true;
    }

    private void checkObservationArray(StepResult result) throws Aborted {
        if (result == null) {
            error(Problem.Kind.RESET, "null-result", "reset(seed) returned null");
            throw new Aborted();
        }
        int length = result.observation().length;
        if (length != observationSpace.size()) {
            error(Problem.Kind.OBSERVATION, "length", "the observation has " + length + " elements but the observation"
                    + " space " + observationSpace + " has " + observationSpace.size() + ": make the space's shape match"
                    + " the observation the env writes");
            throw new Aborted();
        }
    }

    // ---- rollouts ----

    /**
     * Resets with {@code seed} and takes {@link EnvCheckOptions#steps()} steps with actions drawn from a generator
     * derived from the options' seed (the same actions whatever the env's seed), resetting without a seed whenever an
     * episode ends. With {@code checking}, every observation, reward and mask is checked on the way.
     */
    private List<Record> rollout(long seed, boolean checking) throws Aborted {
        List<Record> records = new ArrayList<>();
        Rng actions = actionGenerator();
        String label = "reset(seed=" + seed + ")";
        StepResult r = resetTracked(label, seed, true, checking);
        records.add(record(label, r));
        int episode = 1;
        int stepInEpisode = 0;
        for (int i = 0; i < options.steps(); i++) {
            chooseAction(r, actions);
            stepInEpisode++;
            label = describeAction() + " (step " + stepInEpisode + " of episode " + episode + ")";
            r = stepTracked(label);
            if (checking) {
                checkObservation(label, r.observation());
                checkReward(label, r.reward());
                if (!r.done()) {
                    checkMask(label, r);
                }
            }
            records.add(record(label, r));
            if (r.done()) {
                episode++;
                stepInEpisode = 0;
                label = "reset() starting episode " + episode;
                r = resetTracked(label, 0, false, checking);
                records.add(record(label, r));
            }
        }
        return records;
    }

    private Rng actionGenerator() {
        return Rng.fromSeedSequence(new SeedSequence(options.seed(), new int[] {ACTION_STREAM}));
    }

    private static Record record(String label, StepResult r) {
        return new Record(label, r.observation().clone(), r.reward(), r.terminated(), r.truncated(),
                r.actionMask() == null ? null : r.actionMask().clone());
    }

    /** Resets (seeded or not) after marking the observation array, and checks what the reset wrote. */
    private StepResult resetTracked(String label, long seed, boolean seeded, boolean checking) throws Aborted {
        StepResult before = lastResult;
        if (before != null) {
            Arrays.fill(before.observation(), Double.longBitsToDouble(UNWRITTEN_BITS));
        }
        StepResult r = call(label, Problem.Kind.RESET, () -> seeded ? env.reset(seed) : env.reset());
        lastResult = r;
        if (checking) {
            checkObservation(label, r.observation());
            checkMask(label, r);
        }
        return r;
    }

    private StepResult stepTracked(String label) throws Aborted {
        StepResult r = call(label, Problem.Kind.STEP, () -> env.stepFlat(action, 0));
        stepsTaken++;
        return r;
    }

    /** A random action: uniform over the valid actions when the env reports a usable mask, else a space sample. */
    private void chooseAction(StepResult r, Rng actions) {
        boolean[] mask = r.actionMask();
        if (mask != null && actionSpace instanceof Discrete d && mask.length == d.n()) {
            int valid = 0;
            for (boolean m : mask) {
                valid += m ? 1 : 0;
            }
            if (valid > 0) {
                int pick = (int) actions.integers(valid);
                for (int a = 0; a < mask.length; a++) {
                    if (mask[a] && pick-- == 0) {
                        action[0] = d.start() + a;
                        return;
                    }
                }
            }
        }
        actionSpace.sampleFlat(actions, action, 0);
    }

    private String describeAction() {
        if (actionSpace instanceof Discrete) {
            return "step(" + (long) action[0] + ")";
        }
        if (actionSpace instanceof Box) {
            return "step(" + Arrays.toString(action) + ")";
        }
        StringBuilder b = new StringBuilder("step([");
        for (int i = 0; i < action.length; i++) {
            b.append(i == 0 ? "" : ", ").append((long) action[i]);
        }
        return b.append("])").toString();
    }

    // ---- per-step checks ----

    /** Checks an observation: every element written, finite, and inside the observation space. */
    private void checkObservation(String label, double[] obs) {
        List<String> unwritten = new ArrayList<>();
        List<String> nonFinite = new ArrayList<>();
        for (int i = 0; i < obs.length; i++) {
            if (Double.doubleToRawLongBits(obs[i]) == UNWRITTEN_BITS) {
                unwritten.add(Integer.toString(i));
            } else if (!Double.isFinite(obs[i])) {
                nonFinite.add("element " + i + " is " + obs[i]);
            }
        }
        if (!unwritten.isEmpty()) {
            error(Problem.Kind.OBSERVATION, "unwritten", label + " did not write observation element"
                    + (unwritten.size() == 1 ? " " : "s ") + listed(unwritten) + " (of " + obs.length + "), which kept the"
                    + " value the checker put there before the reset: either the observation space " + observationSpace + " is larger"
                    + " than the observation the env produces, or resetEnv leaves part of the observation from the"
                    + " previous episode; make the space match and write every element in resetEnv");
            return;
        }
        if (!nonFinite.isEmpty()) {
            error(Problem.Kind.OBSERVATION, "non-finite", label + " returned an observation with NaN or infinite values: "
                    + listed(nonFinite) + "; observations must be finite numbers (look for a division by zero, a log or"
                    + " square root out of its domain, or an uninitialised value)");
            return;
        }
        if (!observationSpace.containsFlat(obs, 0)) {
            error(Problem.Kind.OBSERVATION, "outside", label + " returned an observation outside the observation space "
                    + observationSpace + ": " + listed(outside(observationSpace, obs)) + "; keep observations inside"
                    + " the space (clip them, fix the dynamics) or declare a space that contains them");
        }
    }

    private void checkReward(String label, double reward) {
        if (!Double.isFinite(reward)) {
            error(Problem.Kind.REWARD, "non-finite", label + " returned reward " + reward + "; rewards must be finite"
                    + " numbers (a NaN or infinite reward poisons every value estimate)");
        }
    }

    private void checkMask(String label, StepResult r) {
        boolean[] mask = r.actionMask();
        if (mask == null) {
            return;
        }
        if (!(actionSpace instanceof Discrete d)) {
            error(Problem.Kind.ACTION_MASK, "mask-space", "the env reports an action mask but its action space "
                    + actionSpace + " is not Discrete; masks are only defined for Discrete action spaces");
            return;
        }
        if (mask.length != d.n()) {
            error(Problem.Kind.ACTION_MASK, "mask-length", "after " + label + " the action mask has " + mask.length
                    + " entries but the action space " + actionSpace + " has " + d.n() + " actions; the mask needs one"
                    + " entry per action (a wrapper that changes the action space must also provide its own mask)");
            return;
        }
        for (boolean m : mask) {
            if (m) {
                return;
            }
        }
        error(Problem.Kind.ACTION_MASK, "mask-empty", "after " + label + " the action mask allows no action at all; a"
                + " state the episode continues from must allow at least one action (end the episode instead)");
    }

    /** Which elements make {@code obs} fall outside {@code space}, one phrase each. */
    private static List<String> outside(Space space, double[] obs) {
        List<String> out = new ArrayList<>();
        if (space instanceof Box box) {
            for (int i = 0; i < obs.length; i++) {
                double v = obs[i];
                if (v < box.low(i)) {
                    out.add("element " + i + " = " + v + " is below its low bound " + box.low(i));
                } else if (v > box.high(i)) {
                    out.add("element " + i + " = " + v + " is above its high bound " + box.high(i));
                } else if (box.isInteger() && v != Math.rint(v)) {
                    out.add("element " + i + " = " + v + " is not a whole number (dtype " + box.dtype() + ")");
                }
            }
        } else if (space instanceof Discrete d) {
            out.add("the value " + obs[0] + " is not one of " + d.start() + " to " + (d.start() + (long) d.n() - 1));
        } else if (space instanceof MultiDiscrete md) {
            for (int i = 0; i < obs.length; i++) {
                if (!(obs[i] >= 0 && obs[i] < md.n(i)) || obs[i] != Math.rint(obs[i])) {
                    out.add("element " + i + " = " + obs[i] + " is not one of 0 to " + (md.n(i) - 1));
                }
            }
        } else if (space instanceof MultiBinary) {
            for (int i = 0; i < obs.length; i++) {
                if (obs[i] != 0 && obs[i] != 1) {
                    out.add("element " + i + " = " + obs[i] + " is not 0 or 1");
                }
            }
        }
        if (out.isEmpty()) {
            out.add("the observation " + Arrays.toString(obs) + " is not an element of it");
        }
        return out;
    }

    private static String listed(List<String> items) {
        if (items.size() <= MAX_LISTED) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }

    // ---- determinism and seeding ----

    /** Two runs with the same seed and actions must be identical; reports the first difference. */
    private boolean compareRuns(List<Record> first, List<Record> again) {
        String difference = firstDifference(first, again);
        if (difference == null) {
            return true;
        }
        error(Problem.Kind.DETERMINISM, "determinism", "two runs of reset(seed=" + options.seed() + ") followed by the"
                + " same " + options.steps() + " actions differ: " + difference + "; an env must be a function of its"
                + " seed and the actions: draw every random number from rng() (which reset(seed) reseeds), never from"
                + " Math.random(), a Random of its own, the clock or static state, and reset all episode state in"
                + " resetEnv");
        return false;
    }

    private void compareSeeds(List<Record> first, List<Record> otherSeed) {
        if (firstDifference(first, otherSeed) == null) {
            warning(Problem.Kind.SEEDING, "seed-ignored", "reset(seed=" + options.seed() + ") and reset(seed="
                    + (options.seed() + 1) + ") produced identical runs over " + options.steps() + " steps with the same"
                    + " actions; that is right only for a fully deterministic env, otherwise the env ignores the seed:"
                    + " draw initial states and random events from rng(), which reset(seed) reseeds");
        }
    }

    private static String firstDifference(List<Record> a, List<Record> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            Record x = a.get(i);
            Record y = b.get(i);
            String where = "at " + x.label();
            // the first record is the seeded reset, whose label names the seed; later labels must match
            if (i > 0 && !x.label().equals(y.label())) {
                return "the first run reached " + x.label() + " where the second reached " + y.label();
            }
            for (int k = 0; k < x.observation().length; k++) {
                if (Double.doubleToLongBits(x.observation()[k]) != Double.doubleToLongBits(y.observation()[k])) {
                    return where + " observation element " + k + " was " + x.observation()[k] + " in the first run and "
                            + y.observation()[k] + " in the second";
                }
            }
            if (Double.doubleToLongBits(x.reward()) != Double.doubleToLongBits(y.reward())) {
                return where + " the reward was " + x.reward() + " in the first run and " + y.reward() + " in the second";
            }
            if (x.terminated() != y.terminated() || x.truncated() != y.truncated()) {
                return where + " (terminated, truncated) was (" + x.terminated() + ", " + x.truncated() + ") in the first"
                        + " run and (" + y.terminated() + ", " + y.truncated() + ") in the second";
            }
            if (!Arrays.equals(x.mask(), y.mask())) {
                return where + " the action mask was " + Arrays.toString(x.mask()) + " in the first run and "
                        + Arrays.toString(y.mask()) + " in the second";
            }
        }
        if (a.size() != b.size()) {
            return "the runs have different lengths (" + a.size() + " and " + b.size() + " resets and steps)";
        }
        return null;
    }

    /**
     * {@code reset()} without a seed must continue the generator's stream: reproducible after the same
     * {@code reset(seed)}, and (for an env whose start depends on the seed) not a restart from the seeded start.
     */
    private void checkUnseededResets(boolean deterministic) throws Aborted {
        if (!deterministic) {
            return; // already reported; a second report on the same cause would only add noise
        }
        int unseeded = 3;
        double[][] first = resetSequence(unseeded);
        double[][] second = resetSequence(unseeded);
        for (int i = 0; i <= unseeded; i++) {
            if (!sameBits(first[i], second[i])) {
                String which = i == 0 ? "reset(seed=" + options.seed() + ")" : "unseeded reset() number " + i
                        + " after reset(seed=" + options.seed() + ")";
                error(Problem.Kind.SEEDING, "unseeded-reset", which + " is not reproducible: it gave "
                        + Arrays.toString(first[i]) + " the first time and " + Arrays.toString(second[i]) + " the second;"
                        + " reset() without a seed must continue the stream of rng() that reset(seed) started");
                return;
            }
        }
        boolean allRestart = true;
        for (int i = 1; i <= unseeded; i++) {
            allRestart &= sameBits(first[i], first[0]);
        }
        if (allRestart && seededStartsVary(first[0])) {
            warning(Problem.Kind.SEEDING, "unseeded-restart", unseeded + " unseeded reset() calls after reset(seed="
                    + options.seed() + ") all restarted from its initial observation " + Arrays.toString(first[0])
                    + ", although other seeds start elsewhere: reset() without a seed should continue the stream of"
                    + " rng() instead of reseeding it (or resetting to a fixed state)");
        }
    }

    private double[][] resetSequence(int unseeded) throws Aborted {
        double[][] observations = new double[unseeded + 1][];
        observations[0] = call("reset(seed=" + options.seed() + ")", Problem.Kind.RESET,
                () -> env.reset(options.seed())).observation().clone();
        for (int i = 1; i <= unseeded; i++) {
            observations[i] = call("reset()", Problem.Kind.RESET, env::reset).observation().clone();
        }
        return observations;
    }

    private boolean seededStartsVary(double[] start) throws Aborted {
        for (long s = options.seed() + 1; s <= options.seed() + 3 && s > 0; s++) {
            long seed = s;
            double[] other = call("reset(seed=" + seed + ")", Problem.Kind.RESET, () -> env.reset(seed)).observation();
            if (!sameBits(other, start)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    // ---- end of episode ----

    private void checkEpisodeEnd() throws Aborted {
        Rng actions = actionGenerator();
        StepResult r = call("reset(seed=" + options.seed() + ")", Problem.Kind.RESET, () -> env.reset(options.seed()));
        int taken = 0;
        while (!r.done() && taken < options.steps()) {
            chooseAction(r, actions);
            taken++;
            r = stepTracked(describeAction() + " (step " + taken + " of episode 1)");
        }
        if (!r.done()) {
            warning(Problem.Kind.EPISODE_END, "never-ends", "no episode ended within " + options.steps() + " steps of"
                    + " random actions, so the end-of-episode handling was not checked; if episodes can be endless,"
                    + " register the env with a maxEpisodeSteps (Envs.make then adds a TimeLimit) or check with more"
                    + " steps");
            return;
        }
        String how = r.terminated() ? "terminated" : "truncated";
        if (env.isRunning()) {
            error(Problem.Kind.EPISODE_END, "still-running", "the episode " + how + " after " + taken + " steps but the env"
                    + " still reports isRunning(); an env must not hide the end of an episode");
        }
        chooseAction(r, actions);
        String label = describeAction() + " after the episode " + how + " at step " + taken;
        try {
            env.stepFlat(action, 0);
            stepsTaken++;
            error(Problem.Kind.EPISODE_END, "step-after-end", label + " was accepted without reset(); stepping a finished"
                    + " episode must be refused (Env does this unless something bypasses it)");
        } catch (IllegalStateException expected) {
            // refused, as it must be
        } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
            error(Problem.Kind.EPISODE_END, "step-after-end", label + " threw " + describe(e) + " instead of the"
                    + " IllegalStateException that says the episode is over");
        }
        String resetLabel = "reset() after the episode " + how;
        StepResult again = call(resetLabel, Problem.Kind.EPISODE_END, env::reset);
        if (!env.isRunning()) {
            error(Problem.Kind.EPISODE_END, "reset-after-end", resetLabel + " did not start a new episode (isRunning() is"
                    + " false)");
            return;
        }
        checkObservation(resetLabel, again.observation());
        chooseAction(again, actions);
        stepTracked(describeAction() + " after " + resetLabel);
    }

    // ---- rendering ----

    private void checkRender() throws Aborted {
        boolean text = env.supportsTextRender();
        boolean rgb = env.supportsRgbRender();
        Rng actions = actionGenerator();
        StepResult r = call("reset(seed=" + options.seed() + ")", Problem.Kind.RESET, () -> env.reset(options.seed()));
        RgbFrame firstFrame = null;
        String firstLabel = null;
        for (int i = 0; i <= 3; i++) {
            String when = i == 0 ? "after reset(seed=" + options.seed() + ")" : "after step " + i;
            if (text && !renderTextWorks(when)) {
                text = false;
            }
            if (rgb) {
                RgbFrame frame = renderRgb(when);
                if (frame == null) {
                    rgb = false;
                } else if (firstFrame == null) {
                    firstFrame = frame;
                    firstLabel = when;
                } else if (frame.width() != firstFrame.width() || frame.height() != firstFrame.height()) {
                    error(Problem.Kind.RENDER, "rgb-size", "renderRgb() frames change size: " + firstFrame.width() + "x"
                            + firstFrame.height() + " " + firstLabel + ", " + frame.width() + "x" + frame.height() + " "
                            + when + "; every frame of an env must have the same size (videos and frame stacks need it)");
                    rgb = false;
                }
            }
            if (r.done() || i == 3) {
                break;
            }
            chooseAction(r, actions);
            r = stepTracked(describeAction() + " while checking rendering");
        }
        if (!env.supportsTextRender()) {
            checkUndeclaredText();
        }
    }

    private boolean renderTextWorks(String when) {
        try {
            String s = env.renderText();
            if (s == null) {
                error(Problem.Kind.RENDER, "text-null", "renderText() returned null " + when + " although"
                        + " supportsTextRender() is true; return the text, or make supportsTextRender() false");
                return false;
            }
            return true;
        } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
            error(Problem.Kind.RENDER, "text-throws", "renderText() threw " + describe(e) + " " + when + " although"
                    + " supportsTextRender() is true; fix it, or make supportsTextRender() return false");
            return false;
        }
    }

    private RgbFrame renderRgb(String when) {
        try {
            RgbFrame frame = env.renderRgb();
            if (frame == null) {
                error(Problem.Kind.RENDER, "rgb-null", "renderRgb() returned null " + when + " although"
                        + " supportsRgbRender() is true; return a frame, or make supportsRgbRender() false");
                return null;
            }
            if (frame.width() <= 0 || frame.height() <= 0) {
                error(Problem.Kind.RENDER, "rgb-empty", "renderRgb() returned an empty " + frame.width() + "x"
                        + frame.height() + " frame " + when + "; frames need a positive width and height");
                return null;
            }
            return frame;
        } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
            error(Problem.Kind.RENDER, "rgb-throws", "renderRgb() threw " + describe(e) + " " + when + " although"
                    + " supportsRgbRender() is true; fix it, or make supportsRgbRender() return false");
            return null;
        }
    }

    /** An env that can render text but does not say so: tools that ask supportsTextRender() would never use it. */
    private void checkUndeclaredText() {
        try {
            if (env.renderText() != null) {
                warning(Problem.Kind.RENDER, "text-undeclared", "renderText() works but supportsTextRender() returns"
                        + " false, so tools will not use it; override supportsTextRender() to return true");
            }
        } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError expected) {
            // not supported, as declared
        }
    }

    // ---- calls and problems ----

    /** An env call whose failure ends the current check; the exception becomes an error naming the call. */
    private interface EnvCall {
        StepResult call();
    }

    private StepResult call(String label, Problem.Kind kind, EnvCall envCall) throws Aborted {
        try {
            StepResult r = envCall.call();
            if (r == null) {
                error(kind, "null-result", label + " returned null");
                throw new Aborted();
            }
            return r;
        } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
            error(kind, "throws:" + label, label + " threw " + describe(e) + hint(e));
            throw new Aborted();
        }
    }

    /** Explains an array index error whose length is the observation's or the mask's: a size mismatch. */
    private String hint(Throwable e) {
        if (e instanceof UnsupportedOperationException && e.getMessage() != null
                && e.getMessage().contains("does not implement")) {
            String overload = actionSpace instanceof Discrete ? "stepEnv(int)"
                    : actionSpace instanceof Box ? "stepEnv(double[])" : "stepEnv(int[])";
            return "; the env does not support its own action space " + actionSpace + ": override " + overload;
        }
        if (!(e instanceof ArrayIndexOutOfBoundsException) || e.getMessage() == null) {
            return "";
        }
        Matcher m = ARRAY_INDEX.matcher(e.getMessage());
        if (!m.find()) {
            return "";
        }
        int index = Integer.parseInt(m.group(1));
        int length = Integer.parseInt(m.group(2));
        if (length == observationSpace.size() && index >= length) {
            return "; this looks like the env writing observation element " + index + " while its observation space "
                    + observationSpace + " has only " + length + " elements: make the observation space match the"
                    + " observation the env produces";
        }
        if (actionSpace instanceof Discrete d && length == d.n() && index >= length) {
            return "; this looks like the env writing action mask entry " + index + " while its action space "
                    + actionSpace + " has only " + length + " actions";
        }
        return "";
    }

    /** "IllegalStateException: message (at com.example.MyEnv.resetEnv(MyEnv.java:42))". */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            b.append(": ").append(e.getMessage());
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            String cls = frame.getClassName();
            if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
                    || cls.startsWith(CheckRun.class.getName()) || cls.startsWith(EnvChecker.class.getName())
                    || cls.equals(Env.class.getName())) {
                continue;
            }
            b.append(" (at ").append(frame).append(')');
            break;
        }
        return b.toString();
    }

    private void error(Problem.Kind kind, String key, String message) {
        add(Problem.Severity.ERROR, kind, key, message);
    }

    private void warning(Problem.Kind kind, String key, String message) {
        add(Problem.Severity.WARNING, kind, key, message);
    }

    private void add(Problem.Severity severity, Problem.Kind kind, String key, String message) {
        Finding existing = findings.get(kind + "/" + key);
        if (existing != null) {
            existing.count++;
        } else {
            findings.put(kind + "/" + key, new Finding(severity, kind, name + ": " + message));
        }
    }
}
