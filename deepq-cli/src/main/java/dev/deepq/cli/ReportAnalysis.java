package dev.deepq.cli;

import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.Metrics;
import dev.deepq.eval.stats.PerformanceProfile;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.ScoreNormalization;
import dev.deepq.eval.stats.StratifiedBootstrap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The numbers of a {@code deepq report}: per-study final-score intervals, learning curves (IQM across seeds at each
 * evaluation step), per-method aggregates over envs, performance profiles and the probability-of-improvement matrix,
 * all from {@code dev.deepq.eval.stats} with one seeded {@link StratifiedBootstrap} (so the report is deterministic).
 *
 * <p>A <em>method</em> is what the report compares: a study's algorithm, or, when two studies ran the same algorithm
 * on the same env, the algorithm with the study's folder name. A method's studies on different envs are the tasks of
 * its score matrix. Scores are compared across envs only on a common scale: normalized with the built-in baselines
 * ({@link ScoreNormalization#builtIn()}) when the report spans several envs or {@code --normalize} is given.
 */
final class ReportAnalysis {
    static final double CONFIDENCE = StratifiedBootstrap.DEFAULT_CONFIDENCE;
    /** Thresholds of a performance profile. */
    static final int PROFILE_POINTS = 101;

    /** A study's final scores: its runs, IQM, mean and median with intervals, and the normalized optimality gap. */
    record StudyScores(Study study, String method, int runs, IntervalEstimate iqm, IntervalEstimate mean,
                       IntervalEstimate median, Optional<IntervalEstimate> optimalityGap) {}

    /** IQM across seeds at each evaluation step where every seed of the study has an evaluation. */
    record Curve(Study study, String method, long[] steps, List<IntervalEstimate> iqm, int runs) {}

    /** A method's aggregates over its envs (IQM, mean, median, optimality gap), or why there are none. */
    record Aggregate(String method, List<String> envs, int runs, Optional<List<IntervalEstimate>> metrics, String note) {}

    /** A method's performance profile on the report's scale. */
    record Profile(String method, PerformanceProfile profile) {}

    /** P(X > Y) on the envs both methods ran, or why it is not defined. */
    record Improvement(String x, String y, List<String> envs, Optional<IntervalEstimate> estimate, String note) {}

    final List<Study> studies;
    final List<String> methodOfStudy;
    final List<String> methods;
    final List<String> envs;
    /** Whether aggregates and profiles use normalized scores. */
    final boolean normalized;
    /** Whether every score, final-score tables included, is normalized ({@code --normalize}). */
    final boolean normalizeAll;
    /** Why the scale is what it is, for the page. */
    final String scaleNote;
    final int reps;
    final long seed;
    final List<StudyScores> finalScores = new ArrayList<>();
    final List<Curve> curves = new ArrayList<>();
    final List<Aggregate> aggregates = new ArrayList<>();
    final List<Profile> profiles = new ArrayList<>();
    final List<Improvement> improvements = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    private final ScoreNormalization baselines = ScoreNormalization.builtIn();

    /**
     * @param normalizeRequested {@code --normalize}: normalize every score, failing if an env has no baseline
     * @throws Main.UserException if normalization was requested and an env has no baseline
     */
    ReportAnalysis(List<Study> studies, int reps, long seed, boolean normalizeRequested) {
        this.studies = List.copyOf(studies);
        this.reps = reps;
        this.seed = seed;
        this.normalizeAll = normalizeRequested;
        this.methodOfStudy = methodLabels(studies);
        this.methods = List.copyOf(new LinkedHashSet<>(methodOfStudy));
        Set<String> envSet = new LinkedHashSet<>();
        studies.forEach(s -> envSet.add(s.env()));
        this.envs = List.copyOf(envSet);

        List<String> withoutBaseline = envs.stream().filter(e -> baselines.baseline(e).isEmpty()).toList();
        if (normalizeRequested && !withoutBaseline.isEmpty()) {
            throw new Main.UserException("--normalize: no normalization baseline for " + String.join(", ", withoutBaseline)
                    + "; envs with one: " + String.join(", ", baselines.baselines().keySet()));
        }
        if (normalizeRequested) {
            normalized = true;
            scaleNote = "Scores are normalized (--normalize): (score - random) / (reward threshold - random).";
        } else if (envs.size() > 1 && withoutBaseline.isEmpty()) {
            normalized = true;
            scaleNote = "The report spans " + envs.size() + " envs, so aggregates and profiles use normalized scores: "
                    + "(score - random) / (reward threshold - random); final scores and curves stay in each env's returns.";
        } else if (envs.size() > 1) {
            normalized = false;
            scaleNote = "The report spans " + envs.size() + " envs but " + String.join(", ", withoutBaseline)
                    + " has no normalization baseline, so aggregates and profiles mix raw returns of different scales.";
        } else {
            normalized = false;
            scaleNote = "All scores are the env's returns (one env; --normalize would normalize them).";
        }
        StratifiedBootstrap bootstrap = new StratifiedBootstrap(reps, CONFIDENCE, seed);
        for (int i = 0; i < studies.size(); i++) {
            Study s = studies.get(i);
            if (s.finalScores().isEmpty()) {
                notes.add("Study " + s.name() + " has no final scores (no complete seed); it appears only in the summary "
                        + "and configs.");
            } else {
                finalScores.add(finalScores(s, methodOfStudy.get(i), bootstrap, normalizeRequested));
            }
            curve(s, methodOfStudy.get(i), bootstrap).ifPresent(curves::add);
        }
        Map<String, ScoreMatrix> matrices = new LinkedHashMap<>();
        for (String method : methods) {
            aggregate(method, bootstrap).ifPresent(m -> matrices.put(method, m));
        }
        profiles(matrices);
        for (String x : methods) {
            for (String y : methods) {
                if (!x.equals(y)) {
                    improvements.add(improvement(x, y, bootstrap));
                }
            }
        }
    }

    /** The algorithm, or algorithm (folder name) for studies that share an algorithm and env with another study. */
    static List<String> methodLabels(List<Study> studies) {
        Map<String, Integer> perAlgoEnv = new HashMap<>();
        for (Study s : studies) {
            perAlgoEnv.merge(s.algo() + "\u0000" + s.env(), 1, Integer::sum);
        }
        List<String> labels = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Study s : studies) {
            boolean shared = perAlgoEnv.get(s.algo() + "\u0000" + s.env()) > 1;
            String label = shared ? s.algo() + " (" + s.name() + ")" : s.algo();
            String unique = label;
            for (int k = 2; shared && !used.add(unique); k++) {
                unique = label + " #" + k;
            }
            labels.add(unique);
        }
        return labels;
    }

    /** The scores of one study as a one-task matrix. */
    static ScoreMatrix matrix(Study s) {
        return ScoreMatrix.ofTasks(List.of(s.env()), new double[][] {s.finalScoreArray()});
    }

    private StudyScores finalScores(Study s, String method, StratifiedBootstrap bootstrap, boolean normalizeAll) {
        ScoreMatrix raw = matrix(s);
        ScoreMatrix shown = normalizeAll ? baselines.normalize(raw) : raw;
        List<IntervalEstimate> e = bootstrap.estimate(shown, List.of(Metrics.IQM, Metrics.MEAN, Metrics.MEDIAN));
        Optional<IntervalEstimate> gap = baselines.baseline(s.env()).isPresent()
                ? Optional.of(bootstrap.estimate(baselines.normalize(raw), Metrics.OPTIMALITY_GAP)) : Optional.empty();
        return new StudyScores(s, method, raw.runs(), e.get(0), e.get(1), e.get(2), gap);
    }

    private Optional<Curve> curve(Study s, String method, StratifiedBootstrap bootstrap) {
        Set<String> runs = new LinkedHashSet<>();
        s.curves().values().forEach(byRun -> runs.addAll(byRun.keySet()));
        if (!s.finalScores().isEmpty()) {
            // Only the seeds that finished: an interrupted seed's shorter curve would cut every seed's curve short.
            runs.retainAll(s.finalScores().keySet());
        }
        List<Long> steps = new ArrayList<>();
        List<ScoreMatrix> matrices = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<Long, Map<String, Double>> e : s.curves().entrySet()) {
            if (!e.getValue().keySet().containsAll(runs)) {
                skipped++;
                continue;
            }
            double[] scores = new double[runs.size()];
            int r = 0;
            for (String run : runs) {
                scores[r++] = e.getValue().get(run);
            }
            steps.add(e.getKey());
            matrices.add(ScoreMatrix.ofTasks(List.of(s.env()), new double[][] {scores}));
        }
        if (skipped > 0) {
            notes.add("Study " + s.name() + ": " + skipped + " evaluation step(s) are left out of the learning curve "
                    + "because not every seed reached them.");
        }
        if (matrices.isEmpty()) {
            if (!s.finalScores().isEmpty()) {
                notes.add("Study " + s.name() + " has no evaluation that every seed reached: no learning curve.");
            }
            return Optional.empty();
        }
        long[] x = steps.stream().mapToLong(Long::longValue).toArray();
        return Optional.of(new Curve(s, method, x, bootstrap.sampleEfficiencyCurve(matrices, Metrics.IQM), runs.size()));
    }

    /** The studies of a method that have scores, in env order. */
    private List<Study> studiesOf(String method) {
        List<Study> out = new ArrayList<>();
        for (String env : envs) {
            for (int i = 0; i < studies.size(); i++) {
                Study s = studies.get(i);
                if (methodOfStudy.get(i).equals(method) && s.env().equals(env) && !s.finalScores().isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** A method's runs x envs matrix on the report's scale, if its envs have equally many runs. */
    private Optional<ScoreMatrix> methodMatrix(List<Study> ss) {
        if (ss.isEmpty() || ss.stream().map(s -> s.finalScores().size()).distinct().count() != 1) {
            return Optional.empty();
        }
        double[][] byTask = new double[ss.size()][];
        for (int t = 0; t < ss.size(); t++) {
            byTask[t] = ss.get(t).finalScoreArray();
        }
        ScoreMatrix m = ScoreMatrix.ofTasks(ss.stream().map(Study::env).toList(), byTask);
        return Optional.of(normalized ? baselines.normalize(m) : m);
    }

    private Optional<ScoreMatrix> aggregate(String method, StratifiedBootstrap bootstrap) {
        List<Study> ss = studiesOf(method);
        List<String> envNames = ss.stream().map(Study::env).toList();
        if (ss.isEmpty()) {
            aggregates.add(new Aggregate(method, envNames, 0, Optional.empty(), "no study of this method has final scores"));
            return Optional.empty();
        }
        Optional<ScoreMatrix> m = methodMatrix(ss);
        if (m.isEmpty()) {
            aggregates.add(new Aggregate(method, envNames, 0, Optional.empty(), "its envs have different numbers of "
                    + "complete seeds (" + ss.stream().map(s -> s.env() + ": " + s.finalScores().size()).toList()
                    + "); the aggregates need a full runs x envs matrix"));
            return Optional.empty();
        }
        List<IntervalEstimate> e = bootstrap.estimate(m.get(),
                List.of(Metrics.IQM, Metrics.MEAN, Metrics.MEDIAN, Metrics.OPTIMALITY_GAP));
        aggregates.add(new Aggregate(method, envNames, m.get().runs(), Optional.of(e), ""));
        return m;
    }

    private void profiles(Map<String, ScoreMatrix> matrices) {
        if (matrices.isEmpty()) {
            return;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (ScoreMatrix m : matrices.values()) {
            for (double v : m.taskMajorValues()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double span = hi > lo ? hi - lo : Math.max(1, Math.abs(hi));
        double[] taus = new double[PROFILE_POINTS];
        double from = lo - 0.05 * span;
        double to = hi + 0.05 * span;
        for (int k = 0; k < taus.length; k++) {
            taus[k] = from + (to - from) * k / (taus.length - 1);
        }
        StratifiedBootstrap bootstrap = new StratifiedBootstrap(Math.min(reps, StratifiedBootstrap.DEFAULT_PROFILE_REPS),
                CONFIDENCE, seed);
        matrices.forEach((method, m) -> profiles.add(new Profile(method, bootstrap.performanceProfile(m, taus))));
    }

    private Improvement improvement(String x, String y, StratifiedBootstrap bootstrap) {
        List<Study> xs = studiesOf(x);
        List<Study> ys = studiesOf(y);
        Set<String> yEnvs = new LinkedHashSet<>(ys.stream().map(Study::env).toList());
        List<Study> xCommon = xs.stream().filter(s -> yEnvs.contains(s.env())).toList();
        List<String> common = xCommon.stream().map(Study::env).toList();
        if (common.isEmpty()) {
            return new Improvement(x, y, common, Optional.empty(), "no common env");
        }
        List<Study> yCommon = common.stream().map(e -> ys.stream().filter(s -> s.env().equals(e)).findFirst().orElseThrow())
                .toList();
        Optional<ScoreMatrix> mx = methodMatrix(xCommon);
        Optional<ScoreMatrix> my = methodMatrix(yCommon);
        if (mx.isEmpty() || my.isEmpty()) {
            return new Improvement(x, y, common, Optional.empty(), "unequal numbers of seeds across envs");
        }
        // Probability of improvement compares runs within each env, so the scale does not matter.
        return new Improvement(x, y, common, Optional.of(bootstrap.probabilityOfImprovement(mx.get(), my.get())), "");
    }
}
