package dev.deepq.cli;

import dev.deepq.train.Callback;
import dev.deepq.train.PeriodicEvaluation;
import dev.deepq.train.Trainer;
import dev.deepq.train.TrainingMetrics;
import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how training goes: steps, steps/s, recent mean return, the agent's key statistic (epsilon when it has one)
 * and the time left. On a terminal a progress bar; otherwise one plain line every few seconds. Wall-clock time is
 * only read for the display, never for results.
 *
 * <p>Cheap by construction: the clock is read only every {@code checkEvery} env steps, a stride re-estimated from the
 * measured speed so that checks happen about twenty times a second; in between, a step costs one comparison.
 */
final class TrainingProgress implements Callback {
    /** How progress is shown. */
    enum Mode { AUTO, BAR, PLAIN, NONE }

    /** Episodes the displayed mean return averages over. */
    static final int RECENT_EPISODES = 20;
    private static final long CHECKS_PER_SECOND = 20;

    private final Mode mode;
    private final PrintWriter plainOut;
    private final PrintStream barOut;
    private final String label;
    private final long updateNanos;
    private final PeriodicEvaluation evaluation;
    private final StopLevel stopLevel;
    private ProgressBar bar;
    private long startNanos;
    /** The step this session began at (after a resume, the checkpoint's). */
    private long startStep;
    /** Step and time of the last plain line: its speed is the rate since then, so the ETA follows the run's pace. */
    private long lastShownStep;
    private long lastShownNanos;
    private long lastUpdateNanos;
    private long lastCheckNanos;
    private long lastCheckStep;
    private long nextCheckStep;
    private long checkEvery = 1;
    private int keyMetric = -1;

    /**
     * @param mode BAR, PLAIN or NONE (resolve AUTO with {@link #resolve})
     * @param plainOut where plain lines go (stderr)
     * @param barOut where the bar draws (the process's stderr)
     * @param plainIntervalSeconds seconds between plain lines
     * @param evaluation the run's periodic evaluation, shown when it has a result; may be null
     * @param stopLevel the run's {@code --stop-above} level, or null: a run that ends at it is shown as done
     */
    TrainingProgress(Mode mode, String label, PrintWriter plainOut, PrintStream barOut, double plainIntervalSeconds,
                     PeriodicEvaluation evaluation, StopLevel stopLevel) {
        this.mode = mode;
        this.label = label;
        this.plainOut = plainOut;
        this.barOut = barOut;
        this.evaluation = evaluation;
        this.stopLevel = stopLevel;
        this.updateNanos = mode == Mode.BAR ? 250_000_000L : (long) (plainIntervalSeconds * 1e9);
    }

    /** AUTO becomes BAR when stderr is an interactive terminal (and {@code realStreams}), else PLAIN. */
    static Mode resolve(Mode requested, boolean quiet, boolean realStreams) {
        if (quiet) {
            return Mode.NONE;
        }
        if (requested != Mode.AUTO) {
            return requested;
        }
        return realStreams && isTerminal() ? Mode.BAR : Mode.PLAIN;
    }

    /** Whether the process talks to a terminal: System.console(), and on JDK 22+ Console.isTerminal(). */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a non-null console is a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void onStart(Trainer trainer) {
        if (mode == Mode.NONE) {
            return;
        }
        TrainingMetrics metrics = trainer.agent().metrics();
        for (int i = 0; i < metrics.size() && keyMetric < 0; i++) {
            if (metrics.name(i).equals("epsilon")) {
                keyMetric = i;
            }
        }
        if (keyMetric < 0 && metrics.size() > 0) {
            keyMetric = 0;
        }
        startNanos = System.nanoTime();
        startStep = trainer.step();
        lastShownStep = startStep;
        lastShownNanos = startNanos;
        lastUpdateNanos = startNanos;
        lastCheckNanos = startNanos;
        lastCheckStep = startStep;
        nextCheckStep = startStep;
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder()
                    .setTaskName(label)
                    .setInitialMax(trainer.totalSteps())
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .setUnit(" steps", 1)
                    .showSpeed(new java.text.DecimalFormat("#,##0", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)))
                    .setConsumer(new ConsoleProgressBarConsumer(barOut))
                    .startsFrom(startStep, java.time.Duration.ZERO)
                    .build();
        }
    }

    @Override
    public void onStep(Trainer trainer) {
        long step = trainer.step();
        if (step < nextCheckStep || mode == Mode.NONE) {
            return;
        }
        long now = System.nanoTime();
        long elapsed = now - lastCheckNanos;
        if (elapsed > 0 && step > lastCheckStep) {
            double stepsPerNano = (double) (step - lastCheckStep) / elapsed;
            checkEvery = Math.max(1, (long) (stepsPerNano * 1e9 / CHECKS_PER_SECOND));
        }
        lastCheckNanos = now;
        lastCheckStep = step;
        nextCheckStep = step + checkEvery;
        if (now - lastUpdateNanos >= updateNanos) {
            lastUpdateNanos = now;
            show(trainer, now, false);
        }
    }

    @Override
    public void onEnd(Trainer trainer) {
        if (mode == Mode.NONE) {
            return;
        }
        boolean stoppedAtLevel = stopLevel != null && stopLevel.reached() && trainer.step() < trainer.totalSteps();
        if (stoppedAtLevel && bar != null) {
            // The run is done, not cut short: the bar ends full, at the step training stopped.
            bar.maxHint(trainer.step());
        }
        // The last line gives the whole session's speed.
        lastShownStep = startStep;
        lastShownNanos = startNanos;
        show(trainer, System.nanoTime(), stoppedAtLevel);
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private void show(Trainer trainer, long now, boolean stoppedAtLevel) {
        long step = trainer.step();
        String stopped = stoppedAtLevel ? "stopped: eval above " + TrainingSession.formatLevel(stopLevel.level()) : null;
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(" | " + statistics(trainer) + (stopped != null ? " | " + stopped : ""));
            return;
        }
        double seconds = (now - lastShownNanos) / 1e9;
        double speed = seconds > 0 ? (step - lastShownStep) / seconds : 0;
        lastShownStep = step;
        lastShownNanos = now;
        long left = trainer.totalSteps() - step;
        String eta = stopped != null ? stopped : "ETA " + (speed > 0 ? duration(left / speed) : "?");
        plainOut.printf(Locale.ROOT, "%s: %,d/%,d steps (%.0f%%) | %,.0f steps/s | %s | %s%n", label, step,
                trainer.totalSteps(), 100.0 * step / trainer.totalSteps(), speed, statistics(trainer), eta);
        plainOut.flush();
    }

    private String statistics(Trainer trainer) {
        StringBuilder sb = new StringBuilder();
        double recent = trainer.episodes().recentMeanReturn(RECENT_EPISODES);
        sb.append("return ").append(Double.isNaN(recent) ? "-" : String.format(Locale.ROOT, "%.2f", recent));
        if (keyMetric >= 0) {
            TrainingMetrics m = trainer.agent().metrics();
            double v = m.value(keyMetric);
            // The bar may use the Greek letter; plain lines stay ASCII for log files of any encoding.
            String name = m.name(keyMetric).equals("epsilon") && bar != null ? "ε" : m.name(keyMetric);
            sb.append(" | ").append(name).append(' ').append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v));
        }
        if (evaluation != null && evaluation.latest() != null) {
            sb.append(" | eval ").append(String.format(Locale.ROOT, "%.2f", evaluation.latest().stats().mean()));
        }
        return sb.toString();
    }

    static String duration(double seconds) {
        Duration d = Duration.ofSeconds((long) Math.ceil(seconds));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }
}
