package dev.deepq.train;

import dev.deepq.env.Env;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Evaluates the agent greedily on its own env every {@code frequency} env steps (and once at the end), as
 * Stable-Baselines3's {@code EvalCallback}. Each evaluation starts from {@code reset(seed)}, so evaluations at
 * different steps face the same initial states and compare fairly.
 */
public final class PeriodicEvaluation implements Callback {
    /** One evaluation: the env step it was taken at and its statistics. */
    public record Result(long step, EpisodeStats stats) {}

    private final Env env;
    private final long frequency;
    private final int episodes;
    private final long seed;
    private final List<Result> results = new ArrayList<>();
    private long nextAt;

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

    @Override
    public void onStep(Trainer trainer) {
        if (trainer.step() >= nextAt) {
            evaluate(trainer);
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
}
