package dev.deepq.train;

import dev.deepq.env.Env;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Evaluates the agent greedily on its own env every {@code frequency} env steps (and once at the end), as
 * Stable-Baselines3's {@code EvalCallback}. Each evaluation starts from {@code reset(seed)}, so evaluations at
 * different steps face the same initial states and compare fairly.
 */
public final class PeriodicEvaluation implements Callback, Checkpointable {
    /** One evaluation: the env step it was taken at and its statistics. */
    public record Result(long step, EpisodeStats stats) {}

    private final Env env;
    private final long frequency;
    private final int episodes;
    private final long seed;
    private final List<Result> results = new ArrayList<>();
    private long nextAt;
    private double stopAbove = Double.NaN;

    public PeriodicEvaluation(Env env, long frequency, int episodes, long seed) {
        if (frequency <= 0 || episodes <= 0) {
            throw new IllegalArgumentException("evaluation frequency and episodes must be positive, got " + frequency
                    + " and " + episodes);
        }
        this.env = env;
        this.frequency = frequency;
        this.episodes = episodes;
        this.seed = seed;
        this.nextAt = frequency;
    }

    /**
     * Stops training at the first evaluation whose mean return is above {@code meanReturn} (as Stable-Baselines3's
     * {@code StopTrainingOnRewardThreshold}); for measuring how many steps a method needs to reach a level.
     */
    public PeriodicEvaluation stopAbove(double meanReturn) {
        if (!Double.isFinite(meanReturn)) {
            throw new IllegalArgumentException("the return to stop above must be finite, got " + meanReturn);
        }
        this.stopAbove = meanReturn;
        return this;
    }

    /** Whether an evaluation has been above the {@link #stopAbove} level (false when none is set). */
    public boolean reachedStopLevel() {
        Result last = latest();
        return !Double.isNaN(stopAbove) && last != null && last.stats().mean() > stopAbove;
    }

    @Override
    public void onStep(Trainer trainer) {
        if (trainer.step() >= nextAt) {
            evaluate(trainer);
            if (reachedStopLevel()) {
                trainer.requestStop();
            }
            while (nextAt <= trainer.step()) {
                nextAt += frequency;
            }
        }
    }

    @Override
    public void onEnd(Trainer trainer) {
        if (results.isEmpty() || results.get(results.size() - 1).step() != trainer.step()) {
            evaluate(trainer);
        }
    }

    private void evaluate(Trainer trainer) {
        results.add(new Result(trainer.step(), Evaluation.run(trainer.agent(), env, episodes, seed)));
    }

    public List<Result> results() {
        return Collections.unmodifiableList(results);
    }

    /** The latest evaluation, or null before the first. */
    public Result latest() {
        return results.isEmpty() ? null : results.get(results.size() - 1);
    }

    /** Saves the next evaluation step, every result so far and the evaluation env. */
    @Override
    public void saveState(StateWriter out) {
        out.putLong("next_at", nextAt);
        long[] steps = new long[results.size()];
        for (int i = 0; i < steps.length; i++) {
            Result r = results.get(i);
            steps[i] = r.step();
            out.scope("results").scope(Integer.toString(i)).putDoubles("returns", r.stats().returns())
                    .putInts("lengths", r.stats().lengths());
        }
        out.putLongs("result_steps", steps);
        env.saveState(out.scope("env"));
    }

    @Override
    public void restoreState(StateReader in) {
        long next = in.getLong("next_at");
        long[] steps = in.longs("result_steps");
        List<Result> restored = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            StateReader r = in.scope("results").scope(Integer.toString(i));
            try {
                restored.add(new Result(steps[i], new EpisodeStats(r.doubles("returns"), r.ints("lengths"))));
            } catch (IllegalArgumentException e) {
                throw r.error("returns", e.getMessage());
            }
        }
        env.restoreState(in.scope("env"));
        nextAt = next;
        results.clear();
        results.addAll(restored);
    }
}
