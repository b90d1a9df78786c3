package dev.deepq.cli;

import dev.deepq.train.Callback;
import dev.deepq.train.Trainer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress display for all the runs of a study, so that runs in parallel do not interleave their own: the env
 * steps of all runs together (a bar on a terminal, else a plain line every few seconds) and one line per finished run.
 * The runs only publish their step counts (one ordered store per step); a daemon thread reads them for the display.
 */
final class StudyProgress implements AutoCloseable {
    private final TrainingProgress.Mode mode;
    private final String label;
    private final int runs;
    /** Each run's steps: its total until it completes, then the steps it took (fewer when it stopped early). */
    private final AtomicLongArray runSteps;
    private long shownTotal;
    private final PrintWriter plainOut;
    private final PrintStream barOut;
    private final AtomicLongArray steps;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final long startNanos = System.nanoTime();
    private final long initialSteps;
    private ScheduledExecutorService ticker;
    private ProgressBar bar;

    /**
     * @param mode BAR, PLAIN or NONE (resolved)
     * @param runs the runs of the study
     * @param stepsPerRun each run's total env steps
     * @param doneSteps each run's steps already done (resumed runs), by run index
     */
    StudyProgress(TrainingProgress.Mode mode, String label, long stepsPerRun, long[] doneSteps, PrintWriter plainOut,
                  PrintStream barOut, double plainIntervalSeconds) {
        this.mode = mode;
        this.label = label;
        this.runs = doneSteps.length;
        long[] totals = new long[runs];
        java.util.Arrays.fill(totals, stepsPerRun);
        this.runSteps = new AtomicLongArray(totals);
        this.shownTotal = stepsPerRun * runs;
        this.plainOut = plainOut;
        this.barOut = barOut;
        this.steps = new AtomicLongArray(doneSteps);
        long initial = 0;
        for (long s : doneSteps) {
            initial += s;
        }
        this.initialSteps = initial;
        if (mode == TrainingProgress.Mode.NONE) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deepq-study-progress");
            t.setDaemon(true);
            return t;
        });
        long periodMillis;
        if (mode == TrainingProgress.Mode.BAR) {
            bar = new ProgressBarBuilder()
                    .setTaskName(label)
                    .setInitialMax(shownTotal)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .setUnit(" steps", 1)
                    .showSpeed(new java.text.DecimalFormat("#,##0", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)))
                    .setConsumer(new ConsoleProgressBarConsumer(barOut))
                    .build();
            bar.stepTo(initial);
            periodMillis = 250;
        } else {
            periodMillis = Math.max(50, (long) (plainIntervalSeconds * 1000));
        }
        ticker.scheduleAtFixedRate(this::show, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** The callback run {@code index} reports its steps through. */
    Callback callbackFor(int index) {
        return new Callback() {
            @Override
            public void onStart(Trainer trainer) {
                running.incrementAndGet();
                steps.lazySet(index, trainer.step());
            }

            @Override
            public void onStep(Trainer trainer) {
                steps.lazySet(index, trainer.step());
            }

            @Override
            public void onEnd(Trainer trainer) {
                running.decrementAndGet();
            }
        };
    }

    /**
     * Run {@code index} has finished, at the last step it published (before its total when it stopped at its
     * {@code --stop-above} level: the study then has that many steps fewer to do).
     */
    void runComplete(int index, String line) {
        runSteps.set(index, steps.get(index));
        runOver(line);
    }

    /** Run {@code index} is over (finished, stopped or failed): one line saying how. */
    synchronized void runOver(String line) {
        finished.incrementAndGet();
        if (mode == TrainingProgress.Mode.NONE) {
            return;
        }
        String text = line + " (" + finished.get() + "/" + runs + " runs over)";
        if (bar != null) {
            // Above the bar, which redraws itself on its next update.
            barOut.print("\r\033[2K" + text + System.lineSeparator());
            barOut.flush();
        } else {
            plainOut.println(text);
            plainOut.flush();
        }
    }

    private synchronized void show() {
        long done = 0;
        long totalSteps = 0;
        for (int i = 0; i < runs; i++) {
            done += steps.get(i);
            totalSteps += runSteps.get(i);
        }
        if (bar != null) {
            if (totalSteps != shownTotal) {
                bar.maxHint(totalSteps);
                shownTotal = totalSteps;
            }
            bar.stepTo(done);
            bar.setExtraMessage(" | " + finished.get() + "/" + runs + " runs over, " + running.get() + " running");
            return;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double speed = seconds > 0 ? (done - initialSteps) / seconds : 0;
        String eta = speed > 0 ? TrainingProgress.duration((totalSteps - done) / speed) : "?";
        plainOut.printf(Locale.ROOT, "%s: %d/%d runs over, %d running | %,d/%,d steps (%.0f%%) | %,.0f steps/s | ETA %s%n",
                label, finished.get(), runs, running.get(), done, totalSteps, 100.0 * done / totalSteps, speed, eta);
        plainOut.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (bar != null) {
                show();
                bar.close();
                bar = null;
            }
        }
    }
}
