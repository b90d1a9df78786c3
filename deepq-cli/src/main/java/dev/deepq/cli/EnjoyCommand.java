package dev.deepq.cli;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepq enjoy RUN}: watches the trained agent act greedily. Toy-text envs print their text frames; envs with
 * RGB rendering (classic control) become an animated GIF ({@code --gif}, default {@code RUN/enjoy.gif}).
 */
@Command(name = "enjoy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Render episodes of a trained agent: text frames for toy-text envs, an animated GIF for "
                + "classic control (--gif FILE; default RUN/enjoy.gif)."})
final class EnjoyCommand implements Runnable {
    static final String DEFAULT_GIF = "enjoy.gif";

    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder written by 'deepq train'.")
    Path run;

    @Option(names = "--episodes", defaultValue = "1", description = "Episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--gif", paramLabel = "FILE", description = "Write an animated GIF (envs with RGB rendering).")
    Path gif;

    @Option(names = "--fps", defaultValue = "25", description = "GIF playback frames per second (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--frame-skip", defaultValue = "2",
            description = "Keep every K-th step's frame in the GIF (plus each episode's first and last; default: ${DEFAULT-VALUE}).")
    int frameSkip;

    @Option(names = "--max-frames", defaultValue = "1000",
            description = "At most this many GIF frames; later steps still play, unrendered (default: ${DEFAULT-VALUE}).")
    int maxFrames;

    @Option(names = "--scale", defaultValue = "1.0", description = "GIF picture size factor, e.g. 0.5 (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--delay", paramLabel = "MS",
            description = "Milliseconds between text frames (default: 300 on a terminal, else 0).")
    Integer delay;

    @Option(names = "--max-steps", defaultValue = "1000",
            description = "End an episode after this many steps (for envs without a time limit; default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the first episode's reset (default: the run's evaluation seed).")
    Long seed;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        positive("--episodes", episodes);
        positive("--frame-skip", frameSkip);
        positive("--max-frames", maxFrames);
        positive("--max-steps", maxSteps);
        if (!(fps > 0 && fps <= 100)) {
            throw new Main.UserException("--fps must be in (0, 100], got " + fps);
        }
        if (!(scale > 0 && scale <= 4)) {
            throw new Main.UserException("--scale must be in (0, 4], got " + scale);
        }
        if (delay != null && delay < 0) {
            throw new Main.UserException("--delay must be >= 0 ms, got " + delay);
        }
        TrainedRun trained = TrainedRun.open(run);
        long firstSeed = seed != null ? seed : trained.seed() + TrainCommand.EVAL_SEED_OFFSET;
        PrintWriter out = spec.commandLine().getOut();
        try (Env env = trained.makeEnv()) {
            boolean rgb = env.supportsRgbRender();
            boolean text = env.supportsTextRender();
            if (gif != null && !rgb) {
                throw new Main.UserException("--gif: " + trained.envId() + " has no RGB rendering"
                        + (text ? "; run without --gif to print its text frames" : ""));
            }
            if (!rgb && !text) {
                throw new Main.UserException("RUN: " + trained.envId() + " can render neither text nor RGB frames");
            }
            if (gif != null || !text) {
                Path file = gif != null ? gif : run.resolve(DEFAULT_GIF);
                writeGif(trained, env, firstSeed, file, out);
            } else {
                int ms = delay != null ? delay : Main.usesProcessStreams() && TrainingProgress.isTerminal() ? 300 : 0;
                playText(trained, env, firstSeed, out, ms);
            }
        }
        out.flush();
    }

    private static void positive(String option, int value) {
        if (value <= 0) {
            throw new Main.UserException(option + " must be a positive integer, got " + value);
        }
    }

    private void writeGif(TrainedRun trained, Env env, long firstSeed, Path file, PrintWriter out) {
        double[] action = new double[env.actionSpace().size()];
        int frames;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp); GifWriter writer = new GifWriter(os, fps, scale)) {
                for (int e = 0; e < episodes; e++) {
                    StepResult step = e == 0 ? env.reset(firstSeed) : env.reset();
                    if (writer.frames() < maxFrames) {
                        writer.add(env.renderRgb());
                    }
                    double total = 0;
                    int t = 0;
                    while (!step.done() && t < maxSteps) {
                        trained.agent().predict(step.observation(), step.actionMask(), action);
                        step = env.stepFlat(action, 0);
                        total += step.reward();
                        t++;
                        boolean last = step.done() || t == maxSteps;
                        if ((t % frameSkip == 0 || last) && writer.frames() < maxFrames) {
                            writer.add(env.renderRgb());
                        }
                    }
                    out.printf(Locale.ROOT, "episode %d: return %.2f, length %d%n", e + 1, total, t);
                }
                frames = writer.frames();
            } catch (IOException | RuntimeException ex) {
                Files.deleteIfExists(tmp);
                throw ex;
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            RunFolder.makeFileReadable(file);
        } catch (IOException ex) {
            throw new Main.UserException("--gif: cannot write " + file + ": " + ex.getMessage(), ex);
        }
        out.printf(Locale.ROOT, "wrote %s (%d frames, %.0f fps)%n", file, frames, fps);
    }

    private void playText(TrainedRun trained, Env env, long firstSeed, PrintWriter out, int delayMs) {
        double[] action = new double[env.actionSpace().size()];
        for (int e = 0; e < episodes; e++) {
            StepResult step = e == 0 ? env.reset(firstSeed) : env.reset();
            out.printf(Locale.ROOT, "=== episode %d, step 0 ===%n", e + 1);
            out.println(env.renderText());
            pause(out, delayMs);
            double total = 0;
            int t = 0;
            while (!step.done() && t < maxSteps) {
                trained.agent().predict(step.observation(), step.actionMask(), action);
                step = env.stepFlat(action, 0);
                total += step.reward();
                t++;
                out.printf(Locale.ROOT, "=== episode %d, step %d, reward %s ===%n", e + 1, t, number(step.reward()));
                out.println(env.renderText());
                pause(out, delayMs);
            }
            out.printf(Locale.ROOT, "episode %d: return %.2f, length %d%n", e + 1, total, t);
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void pause(PrintWriter out, int ms) {
        out.flush();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
