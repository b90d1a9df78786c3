package dev.deepq.cli;

import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.StratifiedBootstrap;
import dev.deepq.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepq report STUDY... --out DIR}: a self-contained HTML report of one or more multi-seed studies (the folders
 * of {@code deepq train --seeds}) with learning curves, final-score intervals, aggregates, performance profiles, the
 * probability-of-improvement matrix and the configs. See docs/CLI.md.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write an HTML report of multi-seed studies (folders of 'deepq train --seeds'): learning curves "
                + "with IQM and confidence bands, final scores, aggregates per method, performance profiles, "
                + "probability of improvement and configs.",
                "DIR gets index.html (self-contained: figures inline, no network needed) and the figures as PNG files."})
public final class ReportCommand implements Runnable {
    public static final String INDEX_FILE = "index.html";

    @Parameters(arity = "1..*", paramLabel = "STUDY", description = "Study folders (written by 'deepq train --seeds').")
    List<Path> studyDirs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for index.html and the figures "
            + "(created if missing; files of an earlier report are replaced).")
    Path out;

    @Option(names = "--reps", defaultValue = "" + StratifiedBootstrap.DEFAULT_REPS, paramLabel = "N",
            description = "Bootstrap replicates (default: ${DEFAULT-VALUE}, rliable's; performance profiles use at most "
                    + StratifiedBootstrap.DEFAULT_PROFILE_REPS + ").")
    int reps;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the bootstrap resampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--normalize", description = "Normalize every score with the built-in baselines (task = env id): "
            + "(score - random) / (reward threshold - random). Reports spanning several envs normalize aggregates and "
            + "profiles anyway when every env has a baseline.")
    boolean normalize;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (reps < 1) {
            throw new Main.UserException("--reps must be a positive integer, got " + reps);
        }
        List<String> args = studyDirs.stream().map(Path::toString).toList();
        Written w = write(studyDirs, args, out, reps, seed, normalize);
        spec.commandLine().getOut().println("report: " + w.index() + " (" + w.studies() + " stud"
                + (w.studies() == 1 ? "y" : "ies") + ", " + w.figures() + " figures)");
    }

    /**
     * What {@link #write} wrote.
     *
     * @param index the report's index.html
     * @param studies how many studies it covers
     * @param figures how many figures it holds (each also a PNG file next to index.html)
     */
    public record Written(Path index, int studies, int figures) {}

    /**
     * Writes the report of {@code studyDirs} into {@code out} as {@code deepq report} does, with its default bootstrap
     * (rliable's replicates, seed 0) and no normalization; for callers in this JVM (sweeps).
     *
     * @param labels how the report names each study's folder (as given on the command line)
     * @throws Main.UserException if a folder is not a study or the report cannot be written
     */
    public static Written write(List<Path> studyDirs, List<String> labels, Path out) {
        return write(studyDirs, labels, out, StratifiedBootstrap.DEFAULT_REPS, 0, false);
    }

    static Written write(List<Path> studyDirs, List<String> labels, Path out, int reps, long seed, boolean normalize) {
        Set<Path> seen = new HashSet<>();
        List<Study> studies = new ArrayList<>();
        for (Path dir : studyDirs) {
            if (!seen.add(dir.toAbsolutePath().normalize())) {
                throw new Main.UserException(dir + ": the same study is given twice");
            }
            studies.add(Study.load(dir));
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new Main.UserException("--out: " + out + " exists and is not a folder");
        }
        ReportAnalysis analysis = new ReportAnalysis(studies, reps, seed, normalize);

        Map<String, ReportHtml.Figure> curves = new LinkedHashMap<>();
        Map<String, ReportHtml.Figure> finals = new LinkedHashMap<>();
        for (String env : analysis.envs) {
            curveFigure(analysis, env).ifPresent(f -> curves.put(env, f));
            finalScoreFigure(analysis, env).ifPresent(f -> finals.put(env, f));
        }
        Optional<ReportHtml.Figure> profile = profileFigure(analysis);
        String html = ReportHtml.render(analysis, curves, finals, profile, labels);

        List<ReportHtml.Figure> figures = new ArrayList<>(curves.values());
        figures.addAll(finals.values());
        profile.ifPresent(figures::add);
        try {
            Files.createDirectories(out);
            for (ReportHtml.Figure f : figures) {
                AtomicFiles.write(out.resolve(f.file()), f.png());
                RunFolder.makeFileReadable(out.resolve(f.file()));
            }
            AtomicFiles.write(out.resolve(INDEX_FILE), html.getBytes(StandardCharsets.UTF_8));
            RunFolder.makeFileReadable(out.resolve(INDEX_FILE));
        } catch (IOException e) {
            throw new Main.UserException("--out: cannot write the report to " + out + ": " + e.getMessage(), e);
        }
        return new Written(out.resolve(INDEX_FILE), studies.size(), figures.size());
    }

    /** A file-name-safe form of an env id. */
    static String slug(String env) {
        return env.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Optional<ReportHtml.Figure> curveFigure(ReportAnalysis a, String env) {
        List<ReportFigures.Line> lines = new ArrayList<>();
        int episodes = 0;
        for (ReportAnalysis.Curve c : a.curves) {
            if (c.study().env().equals(env)) {
                double[] x = new double[c.steps().length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = c.steps()[i];
                }
                lines.add(new ReportFigures.Line(c.method() + " (" + c.runs() + " seeds)",
                        ReportFigures.color(a.methods.indexOf(c.method())), x, c.iqm()));
                episodes = Math.max(episodes, c.study().evalEpisodes());
            }
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String file = "learning-curves-" + slug(env) + ".png";
        byte[] png = ReportFigures.bands(env + ": IQM of the evaluation return across seeds", "environment steps",
                "evaluation return (IQM across seeds)", lines);
        return Optional.of(new ReportHtml.Figure(file, "Learning curves on " + env,
                "IQM across seeds of the greedy evaluation return" + (episodes > 0 ? " (" + episodes + " episodes each)" : "")
                        + " with " + ReportFigures.ciPercent() + " bootstrap confidence bands", png));
    }

    private static Optional<ReportHtml.Figure> finalScoreFigure(ReportAnalysis a, String env) {
        List<String> labels = new ArrayList<>();
        List<java.awt.Color> colors = new ArrayList<>();
        List<IntervalEstimate> estimates = new ArrayList<>();
        for (ReportAnalysis.StudyScores s : a.finalScores) {
            if (s.study().env().equals(env)) {
                labels.add(s.method());
                colors.add(ReportFigures.color(a.methods.indexOf(s.method())));
                estimates.add(s.iqm());
            }
        }
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        String file = "final-scores-" + slug(env) + ".png";
        byte[] png = ReportFigures.intervals(env + ": final score IQM", a.normalizeAll ? "normalized final score (IQM)"
                : "final evaluation return (IQM)", labels, colors, estimates);
        return Optional.of(new ReportHtml.Figure(file, "Final scores on " + env,
                "IQM of the final evaluation scores across seeds (diamond) with its " + ReportFigures.ciPercent()
                        + " bootstrap interval (bar)", png));
    }

    private static Optional<ReportHtml.Figure> profileFigure(ReportAnalysis a) {
        if (a.profiles.isEmpty()) {
            return Optional.empty();
        }
        List<ReportFigures.Line> lines = new ArrayList<>();
        for (ReportAnalysis.Profile p : a.profiles) {
            lines.add(new ReportFigures.Line(p.method(), ReportFigures.color(a.methods.indexOf(p.method())),
                    p.profile().taus(), p.profile().points()));
        }
        String score = a.normalized ? "normalized score" : "score";
        byte[] png = ReportFigures.bands("Performance profile", score + " \u03c4", "fraction of runs with " + score
                + " > \u03c4", lines);
        return Optional.of(new ReportHtml.Figure("performance-profile.png", "Performance profile",
                "Fraction of all runs (seeds x envs) whose final " + score + " exceeds \u03c4, with "
                        + ReportFigures.ciPercent() + " bootstrap confidence bands (rliable's score distribution)", png));
    }
}
