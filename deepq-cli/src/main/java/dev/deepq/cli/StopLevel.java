package dev.deepq.cli;

import dev.deepq.train.Callback;
import dev.deepq.train.PeriodicEvaluation;
import dev.deepq.train.Trainer;

/**
 * Tells a run that ended because an evaluation was above its {@code --stop-above} level from one stopped by a signal
 * (both end with a stop request before the last step). Registered after the {@link PeriodicEvaluation}, whose
 * {@link PeriodicEvaluation#stopAbove stop level} must be set: it sees each evaluation in the step it was made, so the
 * extra evaluation a signalled run makes in {@code onEnd} can never pass for reaching the level.
 *
 * <p>A run resumed from the checkpoint written at the step it reached the level (the process died before writing its
 * outputs) stops at once: its training is over, only the outputs are left to write.
 */
final class StopLevel implements Callback {
    private final PeriodicEvaluation evaluation;
    private final double level;
    private long reachedAt = -1;

    StopLevel(PeriodicEvaluation evaluation, double level) {
        this.evaluation = evaluation;
        this.level = level;
    }

    @Override
    public void onResume(Trainer trainer) {
        if (evaluation.reachedStopLevel()) {
            reachedAt = evaluation.latest().step();
            trainer.requestStop();
        }
    }

    @Override
    public void onStep(Trainer trainer) {
        if (reachedAt < 0 && evaluation.reachedStopLevel()) {
            reachedAt = trainer.step();
        }
    }

    /** Whether an evaluation was above the level, which ended training at its step. */
    boolean reached() {
        return reachedAt >= 0;
    }

    /** The env step of the evaluation above the level, or -1. */
    long reachedAt() {
        return reachedAt;
    }

    double level() {
        return level;
    }
}
