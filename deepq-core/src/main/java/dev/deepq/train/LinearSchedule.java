package dev.deepq.train;

/**
 * A value moving linearly from {@code start} to {@code end} over {@code duration} steps, then staying at {@code end}:
 * CleanRL's {@code linear_schedule} and SB3's exploration schedule.
 */
public record LinearSchedule(double start, double end, long duration) {
    public LinearSchedule {
        if (duration < 0) {
            throw new IllegalArgumentException("schedule duration must be >= 0, got " + duration);
        }
    }

    /** A schedule over a fraction of a run (e.g. epsilon decaying over the first half of totalSteps). */
    public static LinearSchedule overFraction(double start, double end, double fraction, long totalSteps) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("schedule fraction must be in [0, 1], got " + fraction);
        }
        return new LinearSchedule(start, end, (long) (fraction * totalSteps));
    }

    public double valueAt(long step) {
        if (duration == 0 || step >= duration) {
            return end;
        }
        double slope = (end - start) / duration;
        return Math.max(Math.min(start, end), Math.min(Math.max(start, end), slope * step + start));
    }
}
