package dev.deepq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.ScoreNormalization;
import dev.deepq.eval.stats.ScoresCsv;
import dev.deepq.eval.stats.StratifiedBootstrap;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepq compare STUDY...}: the aggregates of each study (IQM, mean, median, optimality gap with stratified
 * bootstrap intervals) and the probability of improvement of each over each other one, with its interval.
 *
 * <p>Studies on one env compare on their final scores (raw, or normalized with {@code --normalize}). Studies on
 * different envs only compare normalized ({@code --normalize}); they are then grouped by algorithm, each group a
 * runs x envs score matrix, and every group must cover the same envs with the same number of seeds per env.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare studies (folders made by 'deepq train --seeds'): each one's IQM, mean, median and "
                + "optimality gap with stratified bootstrap confidence intervals, and the probability that a run of one "
                + "beats a run of another (P(X > Y)), with its interval.",
                "Studies on different envs need --normalize; they are then grouped by algorithm (one study per env "
                        + "and algorithm)."})
final class CompareCommand implements Runnable {
    @Parameters(arity = "1..*", paramLabel = "STUDY", description = "Study folders (each has a study.json).")
    List<Path> studies;

    @Option(names = "--json", description = "Print one JSON object: {\"studies\": [...], \"probability_of_improvement\": [...], ...}.")
    boolean json;

    @Mixin
    BootstrapOptions bootstrapOptions;

    @Option(names = "--normalize", description = "Normalize each final score with the built-in table (task = env id): "
            + "(score - random) / (reward threshold - random). Needed to compare studies on different envs.")
    boolean normalize;

    @Spec
    CommandSpec spec;

    /** One study as read from its folder. */
    private record Study(Path dir, String env, String algo, String preset, ScoreMatrix scores) {}

    /** What is compared: one study, or (across envs) an algorithm's studies as one runs x envs matrix. */
    private record Entry(String label, String algo, List<Study> studies, ScoreMatrix scores) {}

    @Override
    public void run() {
        StratifiedBootstrap bootstrap = bootstrapOptions.bootstrap();
        List<Study> loaded = new ArrayList<>();
        for (Path dir : studies) {
            loaded.add(load(dir));
        }
        Set<String> envs = new HashSet<>();
        loaded.forEach(s -> envs.add(s.env()));
        List<Entry> entries;
        if (envs.size() == 1) {
            entries = singleEnvEntries(loaded);
        } else {
            if (!normalize) {
                throw new Main.UserException("the studies are on different envs (" + describe(loaded) + "); their raw "
                        + "returns do not compare: add --normalize to compare normalized scores, grouped by algorithm");
            }
            entries = byAlgorithm(loaded);
        }
        List<List<IntervalEstimate>> aggregates = new ArrayList<>();
        for (Entry e : entries) {
            aggregates.add(bootstrap.estimate(e.scores(), StatsCommand.METRICS));
        }
        IntervalEstimate[][] improvement = new IntervalEstimate[entries.size()][entries.size()];
        for (int x = 0; x < entries.size(); x++) {
            for (int y = 0; y < entries.size(); y++) {
                if (x != y) {
                    improvement[x][y] = bootstrap.probabilityOfImprovement(entries.get(x).scores(), entries.get(y).scores());
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(out, entries, aggregates, improvement);
        } else {
            printTables(out, entries, aggregates, improvement);
        }
        out.flush();
    }

    private Study load(Path dir) {
        if (!StudyFolder.isStudy(dir)) {
            String what = Files.isRegularFile(dir.resolve(RunFolder.CONFIG_FILE)) ? "a single run, not a study"
                    : Files.isDirectory(dir) ? "not a study folder (it has no " + StudyFolder.STUDY_FILE + ")"
                    : "not a folder";
            throw new Main.UserException("STUDY: " + dir + " is " + what + "; compare takes folders made by "
                    + "'deepq train --seeds'");
        }
        ObjectNode manifest = StudyFolder.readManifest(dir);
        List<String> unfinished = new ArrayList<>();
        for (ObjectNode r : StudyFolder.runs(manifest)) {
            if (!StudyFolder.Status.COMPLETE.json().equals(r.path("status").asText())) {
                unfinished.add("seed " + r.path("seed").asText() + " " + r.path("status").asText());
            }
        }
        if (!unfinished.isEmpty() || !Files.isRegularFile(dir.resolve(StudyFolder.SCORES_FILE))) {
            throw new Main.UserException("STUDY: " + dir + " is not finished (" + (unfinished.isEmpty()
                    ? "no " + StudyFolder.SCORES_FILE : String.join(", ", unfinished))
                    + "); finish it with 'deepq resume " + dir + "'");
        }
        String env = manifest.path("env").asText();
        ScoreMatrix scores;
        try {
            scores = ScoresCsv.read(dir.resolve(StudyFolder.SCORES_FILE));
            if (!scores.taskNames().equals(List.of(env))) {
                throw new Main.UserException(dir.resolve(StudyFolder.SCORES_FILE) + ": tasks " + scores.taskNames()
                        + " do not match the study's env " + env);
            }
            if (normalize) {
                scores = ScoreNormalization.builtIn().normalize(scores);
            }
        } catch (IllegalArgumentException e) {
            throw new Main.UserException((normalize ? "--normalize: " : "") + e.getMessage(), e);
        }
        return new Study(dir, env, manifest.path("algo").asText(), manifest.path("preset").asText(), scores);
    }

    /** Each study on its own, labelled algo@preset, or by its folder name where that would be ambiguous. */
    private static List<Entry> singleEnvEntries(List<Study> loaded) {
        List<String> labels = new ArrayList<>();
        loaded.forEach(s -> labels.add(s.algo() + "@" + s.preset()));
        if (new HashSet<>(labels).size() < labels.size()) {
            labels.clear();
            loaded.forEach(s -> labels.add(folderName(s.dir())));
        }
        if (new HashSet<>(labels).size() < labels.size()) {
            labels.clear();
            loaded.forEach(s -> labels.add(s.dir().toString()));
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            Study s = loaded.get(i);
            entries.add(new Entry(labels.get(i), s.algo(), List.of(s), s.scores()));
        }
        return entries;
    }

    /** Studies on different envs: one runs x envs matrix per algorithm; every algorithm must cover the same envs. */
    private static List<Entry> byAlgorithm(List<Study> loaded) {
        Map<String, TreeMap<String, Study>> groups = new LinkedHashMap<>();
        for (Study s : loaded) {
            Study previous = groups.computeIfAbsent(s.algo(), a -> new TreeMap<>()).put(s.env(), s);
            if (previous != null) {
                throw new Main.UserException("two " + s.algo() + " studies on " + s.env() + " (" + previous.dir() + " and "
                        + s.dir() + "); across envs, studies are grouped by algorithm, one study per env and algorithm");
            }
        }
        Set<String> reference = null;
        String referenceAlgo = null;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, Study>> g : groups.entrySet()) {
            Set<String> envs = g.getValue().keySet();
            if (reference == null) {
                reference = envs;
                referenceAlgo = g.getKey();
            } else if (!reference.equals(envs)) {
                throw new Main.UserException("mismatched tasks: " + referenceAlgo + " has studies on " + reference + ", "
                        + g.getKey() + " on " + envs + "; every algorithm needs a study on the same envs");
            }
            List<String> names = new ArrayList<>(envs);
            double[][] byTask = new double[names.size()][];
            List<Study> studies = new ArrayList<>(g.getValue().values());
            for (int t = 0; t < names.size(); t++) {
                ScoreMatrix m = studies.get(t).scores();
                byTask[t] = new double[m.runs()];
                for (int r = 0; r < m.runs(); r++) {
                    byTask[t][r] = m.score(r, 0);
                }
            }
            try {
                entries.add(new Entry(g.getKey(), g.getKey(), studies, ScoreMatrix.ofTasks(names, byTask)));
            } catch (IllegalArgumentException e) {
                throw new Main.UserException(g.getKey() + ": " + e.getMessage() + " (give its studies the same number of seeds)", e);
            }
        }
        return entries;
    }

    private static String describe(List<Study> loaded) {
        List<String> parts = new ArrayList<>();
        loaded.forEach(s -> parts.add(folderName(s.dir()) + ": " + s.env()));
        return String.join(", ", parts);
    }

    private static String folderName(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    private void printTables(PrintWriter out, List<Entry> entries, List<List<IntervalEstimate>> aggregates,
                             IntervalEstimate[][] improvement) {
        out.printf(Locale.ROOT, "final greedy evaluation scores%s; stratified bootstrap, %d replicates, seed %d%n",
                normalize ? ", normalized" : "", bootstrapOptions.reps, bootstrapOptions.seed);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            out.println();
            out.printf(Locale.ROOT, "%s: %d %s x %d seeds (%s)%n", e.label(), e.scores().tasks(),
                    e.scores().tasks() == 1 ? "env" : "envs", e.scores().runs(), studyList(e));
            StatsCommand.printTable(out, aggregates.get(i), bootstrapOptions.confidence);
        }
        if (entries.size() < 2) {
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "probability of improvement P(X > Y): how often a run of X beats a run of Y%s%n",
                entries.get(0).scores().tasks() > 1 ? ", averaged over envs" : "");
        int width = 1;
        for (Entry e : entries) {
            width = Math.max(width, e.label().length());
        }
        String ci = StatsCommand.trim(100 * bootstrapOptions.confidence) + "% CI";
        out.printf(Locale.ROOT, "  %-" + width + "s   %-" + width + "s %8s   %s%n", "X", "Y", "P(X > Y)", ci);
        for (int x = 0; x < entries.size(); x++) {
            for (int y = 0; y < entries.size(); y++) {
                if (x != y) {
                    IntervalEstimate p = improvement[x][y];
                    out.printf(Locale.ROOT, "  %-" + width + "s > %-" + width + "s %8.4f   [%.4f, %.4f]%n",
                            entries.get(x).label(), entries.get(y).label(), p.point(), p.low(), p.high());
                }
            }
        }
    }

    private static String studyList(Entry e) {
        List<String> parts = new ArrayList<>();
        for (Study s : e.studies()) {
            parts.add(e.studies().size() == 1 ? s.env() + ", " + s.dir() : s.env() + ": " + s.dir());
        }
        return String.join("; ", parts);
    }

    private void printJson(PrintWriter out, List<Entry> entries, List<List<IntervalEstimate>> aggregates,
                           IntervalEstimate[][] improvement) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("normalized", normalize);
        ObjectNode bootstrap = o.putObject("bootstrap");
        bootstrap.put("reps", bootstrapOptions.reps);
        bootstrap.put("confidence", bootstrapOptions.confidence);
        bootstrap.put("seed", bootstrapOptions.seed);
        ArrayNode list = o.putArray("studies");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            ObjectNode s = list.addObject();
            s.put("label", e.label());
            s.put("algo", e.algo());
            ArrayNode presets = s.putArray("presets");
            ArrayNode dirs = s.putArray("dirs");
            for (Study st : e.studies()) {
                presets.add(st.preset());
                dirs.add(st.dir().toString());
            }
            ArrayNode tasks = s.putArray("tasks");
            e.scores().taskNames().forEach(tasks::add);
            s.put("runs", e.scores().runs());
            StatsCommand.putEstimates(s, aggregates.get(i));
        }
        ArrayNode poi = o.putArray("probability_of_improvement");
        for (int x = 0; x < entries.size(); x++) {
            for (int y = 0; y < entries.size(); y++) {
                if (x != y) {
                    ObjectNode p = poi.addObject();
                    p.put("x", entries.get(x).label());
                    p.put("y", entries.get(y).label());
                    p.put("point", improvement[x][y].point());
                    p.putArray("ci").add(improvement[x][y].low()).add(improvement[x][y].high());
                }
            }
        }
        out.println(o.toString());
    }
}
