package dev.deepq.cli;

import dev.deepq.eval.stats.IntervalEstimate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code index.html} of {@code deepq report}: one self-contained page (inline CSS, figures as {@code data:} URIs,
 * no script, nothing fetched from the network). Every text from a study is escaped. Every interval cell carries its
 * exact numbers in {@code data-point}, {@code data-low} and {@code data-high} attributes for tools.
 */
final class ReportHtml {
    /** The page's sections, by id, in order. */
    static final List<String> SECTIONS = List.of("summary", "learning-curves", "final-scores", "aggregates",
            "performance-profile", "probability-of-improvement", "configs", "provenance");

    /** A figure: its PNG (also written next to the page as {@code file}) and what it shows. */
    record Figure(String file, String alt, String caption, byte[] png) {}

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
            padding:0 1rem;color:#222;line-height:1.45}
            h1{margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}
            nav a{margin-right:1rem}
            table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
            th,td{border:1px solid #ccc;padding:.3rem .55rem;text-align:left;vertical-align:top}
            th{background:#f3f3f3}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td .ci{color:#555;font-size:.85em}
            figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{color:#444;font-size:.9rem}
            pre{background:#f7f7f7;border:1px solid #ddd;padding:.7rem;overflow:auto;font-size:.85rem}
            .note{color:#7a4b00}.status-failed,.status-interrupted,.status-missing{color:#b00020;font-weight:600}
            td.better{font-weight:700}
            """;

    private final StringBuilder html = new StringBuilder();

    private ReportHtml() {}

    /**
     * @param curves learning-curve figures by env (an env without one is absent)
     * @param finals final-score figures by env
     * @param profile the performance profile figure, if any method has scores
     * @param studyArgs the study folders as given on the command line, parallel to the analysis' studies
     */
    static String render(ReportAnalysis a, Map<String, Figure> curves, Map<String, Figure> finals,
                         Optional<Figure> profile, List<String> studyArgs) {
        ReportHtml page = new ReportHtml();
        page.page(a, curves, finals, profile, studyArgs);
        return page.html.toString();
    }

    private void page(ReportAnalysis a, Map<String, Figure> curves, Map<String, Figure> finals, Optional<Figure> profile,
                      List<String> studyArgs) {
        String title = "deepq report: " + String.join(", ", a.methods) + " on " + String.join(", ", a.envs);
        out("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out("<title>").text(title).out("</title>\n<style>\n").out(CSS).out("</style>\n</head>\n<body>\n");
        out("<h1>").text(title).out("</h1>\n<nav>");
        for (String id : SECTIONS) {
            out("<a href=\"#").out(id).out("\">").text(sectionTitle(id)).out("</a>");
        }
        out("</nav>\n");
        summary(a, studyArgs);
        learningCurves(a, curves);
        finalScores(a, finals);
        aggregates(a);
        profile(a, profile);
        improvements(a);
        configs(a);
        provenance(a, studyArgs);
        out("</body>\n</html>\n");
    }

    static String sectionTitle(String id) {
        return switch (id) {
            case "summary" -> "Summary";
            case "learning-curves" -> "Learning curves";
            case "final-scores" -> "Final scores";
            case "aggregates" -> "Aggregate metrics";
            case "performance-profile" -> "Performance profile";
            case "probability-of-improvement" -> "Probability of improvement";
            case "configs" -> "Configs";
            case "provenance" -> "Provenance";
            default -> throw new IllegalArgumentException(id);
        };
    }

    private void section(String id) {
        out("<section id=\"").out(id).out("\">\n<h2>").text(sectionTitle(id)).out("</h2>\n");
    }

    private void endSection() {
        out("</section>\n");
    }

    private void summary(ReportAnalysis a, List<String> studyArgs) {
        section("summary");
        out("<p>").text(a.studies.size() + " stud" + (a.studies.size() == 1 ? "y" : "ies") + ", " + a.envs.size() + " env"
                + (a.envs.size() == 1 ? "" : "s") + ", " + a.methods.size() + " method" + (a.methods.size() == 1 ? "" : "s")
                + ". Intervals are " + ReportFigures.ciPercent() + " stratified-bootstrap percentile confidence intervals ("
                + String.format(Locale.ROOT, "%,d", a.reps) + " replicates, seed " + a.seed + "), as rliable computes them. "
                + a.scaleNote).out("</p>\n");
        out("<table>\n<tr><th>Study</th><th>Folder</th><th>Env</th><th>Method</th><th>Algorithm</th><th>Preset</th>"
                + "<th>Complete seeds</th><th>Incomplete seeds</th></tr>\n");
        for (int i = 0; i < a.studies.size(); i++) {
            Study s = a.studies.get(i);
            long complete = s.runs().stream().filter(Study.Run::complete).count();
            out("<tr>").cell(s.name()).cell(studyArgs.get(i)).cell(s.env()).cell(a.methodOfStudy.get(i)).cell(s.algo())
                    .cell(s.preset().isEmpty() ? "none" : s.preset())
                    .cell(complete + " of " + s.runs().size() + " (" + s.finalScores().size() + " with a final score)");
            out("<td>");
            List<Study.Run> bad = s.incompleteRuns();
            if (bad.isEmpty()) {
                out("none");
            }
            for (Study.Run r : bad) {
                out("<div>seed ").text(Long.toString(r.seed())).out(": <span class=\"status-").text(r.status()).out("\">")
                        .text(r.status()).out("</span>");
                if (!r.error().isEmpty()) {
                    out(" &mdash; ").text(r.error());
                }
                out("</div>");
            }
            out("</td></tr>\n");
        }
        out("</table>\n");
        if (!a.notes.isEmpty()) {
            out("<ul>\n");
            for (String note : a.notes) {
                out("<li class=\"note\">").text(note).out("</li>\n");
            }
            out("</ul>\n");
        }
        endSection();
    }

    private void learningCurves(ReportAnalysis a, Map<String, Figure> curves) {
        section("learning-curves");
        out("<p>").text("Interquartile mean (IQM) across seeds of the greedy evaluation return at each evaluation step, "
                + "with its " + ReportFigures.ciPercent() + " confidence band; one chart per env, one line per method.")
                .out("</p>\n");
        for (String env : a.envs) {
            out("<h3>").text(env).out("</h3>\n");
            Figure f = curves.get(env);
            if (f == null) {
                out("<p class=\"note\">No learning curve: no study on this env has evaluations that all its seeds reached.</p>\n");
            } else {
                figure(f);
            }
        }
        endSection();
    }

    private void finalScores(ReportAnalysis a, Map<String, Figure> finals) {
        section("final-scores");
        out("<p>").text("Each study's final greedy evaluation scores across seeds"
                + (a.normalizeAll ? ", normalized" : " (the env's return)")
                + ". The optimality gap is computed on normalized scores (the distance to the reward threshold, "
                + "1 - mean(min(score, 1))); it is shown only for envs with a normalization baseline.").out("</p>\n");
        out("<table>\n<tr><th>Study</th><th>Method</th><th>Env</th><th>Runs</th><th>IQM</th><th>Mean</th><th>Median</th>"
                + "<th>Optimality gap</th></tr>\n");
        for (ReportAnalysis.StudyScores s : a.finalScores) {
            out("<tr data-study=\"").text(s.study().name()).out("\">").cell(s.study().name()).cell(s.method())
                    .cell(s.study().env()).numCell(Integer.toString(s.runs())).interval(s.iqm()).interval(s.mean())
                    .interval(s.median());
            if (s.optimalityGap().isPresent()) {
                interval(s.optimalityGap().get());
            } else {
                out("<td class=\"num\">&mdash;</td>");
            }
            out("</tr>\n");
        }
        out("</table>\n");
        for (String env : a.envs) {
            Figure f = finals.get(env);
            if (f != null) {
                figure(f);
            }
        }
        endSection();
    }

    private void aggregates(ReportAnalysis a) {
        section("aggregates");
        out("<p>").text("rliable's aggregates per method over its envs (tasks) and seeds (runs), on "
                + (a.normalized ? "normalized scores" : "the envs' returns") + ". " + a.scaleNote).out("</p>\n");
        out("<table>\n<tr><th>Method</th><th>Envs</th><th>Runs per env</th><th>IQM</th><th>Mean</th><th>Median</th>"
                + "<th>Optimality gap</th></tr>\n");
        for (ReportAnalysis.Aggregate g : a.aggregates) {
            out("<tr data-method=\"").text(g.method()).out("\">").cell(g.method()).cell(String.join(", ", g.envs()));
            if (g.metrics().isPresent()) {
                numCell(Integer.toString(g.runs()));
                g.metrics().get().forEach(this::interval);
            } else {
                out("<td colspan=\"5\" class=\"note\">").text("not computed: " + g.note()).out("</td>");
            }
            out("</tr>\n");
        }
        out("</table>\n");
        endSection();
    }

    private void profile(ReportAnalysis a, Optional<Figure> profile) {
        section("performance-profile");
        if (profile.isEmpty()) {
            out("<p class=\"note\">No performance profile: no method has final scores.</p>\n");
        } else {
            figure(profile.get());
        }
        endSection();
    }

    private void improvements(ReportAnalysis a) {
        section("probability-of-improvement");
        out("<p>").text("P(row > column): the probability that a run of the row's method scores higher than a run of the "
                + "column's method on the same env (ties count one half), averaged over the envs both ran, with its "
                + ReportFigures.ciPercent() + " interval. Blue: the row is better; red: worse; bold: the interval "
                + "excludes 0.5.").out("</p>\n");
        if (a.methods.size() < 2) {
            out("<p class=\"note\">Only one method: nothing to compare.</p>\n");
            endSection();
            return;
        }
        out("<table class=\"poi\">\n<tr><th>P(row &gt; column)</th>");
        for (String y : a.methods) {
            out("<th>").text(y).out("</th>");
        }
        out("</tr>\n");
        for (String x : a.methods) {
            out("<tr><th>").text(x).out("</th>");
            for (String y : a.methods) {
                if (x.equals(y)) {
                    out("<td class=\"num\">&mdash;</td>");
                    continue;
                }
                ReportAnalysis.Improvement imp = a.improvements.stream()
                        .filter(i -> i.x().equals(x) && i.y().equals(y)).findFirst().orElseThrow();
                if (imp.estimate().isEmpty()) {
                    out("<td class=\"num note\">").text(imp.note()).out("</td>");
                    continue;
                }
                IntervalEstimate e = imp.estimate().get();
                boolean clear = e.low() > 0.5 || e.high() < 0.5;
                out("<td class=\"num").out(clear ? " better" : "").out("\" style=\"background:").out(poiColor(e.point()))
                        .out("\"").out(dataAttributes(e)).out(" title=\"").text("envs: " + String.join(", ", imp.envs()))
                        .out("\">").text(fmt(e.point())).out(" <span class=\"ci\">").text(range(e)).out("</span></td>");
            }
            out("</tr>\n");
        }
        out("</table>\n");
        endSection();
    }

    /** White at 0.5, shading to blue at 1 and red at 0. */
    static String poiColor(double p) {
        double t = Math.min(1, Math.abs(p - 0.5) * 2);
        int[] to = p >= 0.5 ? new int[] {103, 169, 207} : new int[] {239, 138, 98};
        int r = (int) Math.round(255 + (to[0] - 255) * t);
        int g = (int) Math.round(255 + (to[1] - 255) * t);
        int b = (int) Math.round(255 + (to[2] - 255) * t);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private void configs(ReportAnalysis a) {
        section("configs");
        for (int i = 0; i < a.studies.size(); i++) {
            Study s = a.studies.get(i);
            out("<h3>").text(s.name() + " (" + a.methodOfStudy.get(i) + " on " + s.env() + ")").out("</h3>\n");
            out("<table>\n");
            row("env", s.env());
            row("algorithm", s.algo());
            row("preset", s.preset().isEmpty() ? "none" : s.preset());
            row("seeds", String.join(", ", s.runs().stream().map(r -> Long.toString(r.seed())).toList()));
            row("evaluation", s.evalEpisodes() > 0
                    ? s.evalEpisodes() + " greedy episodes every " + String.format(Locale.ROOT, "%,d", s.evalFrequency()) + " steps"
                    : "not recorded");
            out("</table>\n");
            if (s.configYaml().isEmpty()) {
                out("<p class=\"note\">No config recorded (no complete seed has a config.yaml and study.json has no config).</p>\n");
            } else {
                out("<p>").text("From " + s.configSource() + " (the other seeds differ only in their seed and provenance):")
                        .out("</p>\n<pre>").text(s.configYaml()).out("</pre>\n");
            }
        }
        endSection();
    }

    private void provenance(ReportAnalysis a, List<String> studyArgs) {
        section("provenance");
        out("<table>\n");
        row("deepq version", BuildInfo.version());
        row("deepq commit", BuildInfo.gitCommit() + ("true".equals(BuildInfo.gitDirty()) ? " (with uncommitted changes)" : ""));
        row("JVM", BuildInfo.jvm());
        row("bootstrap", String.format(Locale.ROOT, "%,d replicates (performance profiles: at most %,d), %s confidence, seed %d",
                a.reps, dev.deepq.eval.stats.StratifiedBootstrap.DEFAULT_PROFILE_REPS, ReportFigures.ciPercent(), a.seed));
        for (int i = 0; i < a.studies.size(); i++) {
            Study s = a.studies.get(i);
            row("study " + s.name(), studyArgs.get(i) + ", trained with deepq commit " + s.trainingCommit());
        }
        out("</table>\n");
        endSection();
    }

    private void figure(Figure f) {
        out("<figure>\n<img src=\"data:image/png;base64,").out(Base64.getEncoder().encodeToString(f.png()))
                .out("\" width=\"").out(Integer.toString(ReportFigures.WIDTH)).out("\" height=\"")
                .out(Integer.toString(ReportFigures.HEIGHT)).out("\" alt=\"").text(f.alt()).out("\" data-file=\"")
                .text(f.file()).out("\">\n<figcaption>").text(f.caption()).out(" (").text(f.file()).out(")</figcaption>\n</figure>\n");
    }

    private void row(String key, String value) {
        out("<tr><th>").text(key).out("</th><td>").text(value).out("</td></tr>\n");
    }

    private ReportHtml cell(String text) {
        return out("<td>").text(text).out("</td>");
    }

    private ReportHtml numCell(String text) {
        return out("<td class=\"num\">").text(text).out("</td>");
    }

    private ReportHtml interval(IntervalEstimate e) {
        return out("<td class=\"num\"").out(dataAttributes(e)).out(">").text(fmt(e.point())).out(" <span class=\"ci\">")
                .text(range(e)).out("</span></td>");
    }

    private static String dataAttributes(IntervalEstimate e) {
        return " data-point=\"" + e.point() + "\" data-low=\"" + e.low() + "\" data-high=\"" + e.high() + "\"";
    }

    /** Three decimals, never "-0.000". */
    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.equals("-0.000") ? "0.000" : s;
    }

    static String range(IntervalEstimate e) {
        return "[" + fmt(e.low()) + ", " + fmt(e.high()) + "]";
    }

    /** Escapes text for HTML content and quoted attribute values. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private ReportHtml out(String raw) {
        html.append(raw);
        return this;
    }

    private ReportHtml text(String text) {
        html.append(escape(text));
        return this;
    }
}
