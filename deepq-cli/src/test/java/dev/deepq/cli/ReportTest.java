package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.Metrics;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.ScoreNormalization;
import dev.deepq.eval.stats.ScoresCsv;
import dev.deepq.eval.stats.StratifiedBootstrap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    static final int REPS = 2000;
    static final long SEED = 7;
    static final String FAILURE = "<boom> & \"quotes\"";

    @TempDir
    static Path root;
    static Path taxiQ;
    static Path taxiSarsa;
    static Path lakeQ;
    static Path report;
    static String html;

    @TempDir
    Path dir;

    /** Three small real studies: Q-learning and SARSA on Taxi-v3 (SARSA with a failed fourth seed), Q-learning on FrozenLake-v1. */
    @BeforeAll
    static void studiesAndReport() throws IOException {
        long[] seeds = {0, 1, 2};
        taxiQ = StudyFixtures.train(root.resolve("taxi-qlearning"), "Taxi-v3", "qlearning", seeds, 60_000, 10_000, 5, List.of());
        taxiSarsa = StudyFixtures.train(root.resolve("taxi-sarsa"), "Taxi-v3", "sarsa", seeds, 60_000, 10_000, 5,
                List.of(new StudyFixtures.Incomplete(3, "failed", FAILURE)));
        lakeQ = StudyFixtures.train(root.resolve("lake-qlearning"), "FrozenLake-v1", "qlearning", seeds, 20_000, 4_000, 10,
                List.of());
        report = root.resolve("report");
        CliTest.Run r = CliTest.run("report", taxiQ.toString(), taxiSarsa.toString(), lakeQ.toString(), "--out",
                report.toString(), "--reps", Integer.toString(REPS), "--seed", Long.toString(SEED));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("report: " + report.resolve("index.html"), "3 studies, 5 figures");
        html = Files.readString(report.resolve("index.html"));
    }

    static StratifiedBootstrap bootstrap() {
        return new StratifiedBootstrap(REPS, 0.95, SEED);
    }

    /** The intervals (data-point, data-low, data-high) of the cells of the table row that starts with {@code rowStart}. */
    static List<IntervalEstimate> rowIntervals(String page, String rowStart) {
        int start = page.indexOf(rowStart);
        assertThat(start).as("row " + rowStart).isNotNegative();
        String row = page.substring(start, page.indexOf("</tr>", start));
        Matcher m = Pattern.compile("data-point=\"([^\"]+)\" data-low=\"([^\"]+)\" data-high=\"([^\"]+)\"").matcher(row);
        List<IntervalEstimate> out = new ArrayList<>();
        while (m.find()) {
            out.add(new IntervalEstimate(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3))));
        }
        return out;
    }

    @Test
    void pageHasEverySectionAndNeedsNoNetwork() {
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        for (String id : ReportHtml.SECTIONS) {
            assertThat(html).contains("<section id=\"" + id + "\">\n<h2>" + ReportHtml.sectionTitle(id) + "</h2>");
        }
        assertThat(html).doesNotContain("src=\"http", "href=\"http", "<link", "<script", "url(");
        assertThat(html).contains("<h3>Taxi-v3</h3>", "<h3>FrozenLake-v1</h3>");
        // configs: each study's config.yaml, escaped text inside <pre>
        assertThat(html).contains("From seed-0/config.yaml").contains("env: Taxi-v3\nalgo: sarsa\nseed: 0\n")
                .contains("env: FrozenLake-v1\nalgo: qlearning\n");
        assertThat(html).contains("<th>deepq version</th><td>" + ReportHtml.escape(BuildInfo.version()) + "</td>");
    }

    @Test
    void everyFigureIsAnInlinePngOfTheExpectedSizeAndAlsoAFile() throws IOException {
        Matcher img = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\" height=\"(\\d+)\""
                + " alt=\"[^\"]*\" data-file=\"([^\"]+)\">").matcher(html);
        Set<String> files = new HashSet<>();
        while (img.find()) {
            byte[] png = Base64.getDecoder().decode(img.group(1));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).as(img.group(4)).isNotNull();
            assertThat(image.getWidth()).isEqualTo(ReportFigures.WIDTH).isEqualTo(Integer.parseInt(img.group(2)));
            assertThat(image.getHeight()).isEqualTo(ReportFigures.HEIGHT).isEqualTo(Integer.parseInt(img.group(3)));
            assertThat(Files.readAllBytes(report.resolve(img.group(4)))).isEqualTo(png);
            files.add(img.group(4));
        }
        assertThat(files).containsExactlyInAnyOrder("learning-curves-Taxi-v3.png", "learning-curves-FrozenLake-v1.png",
                "final-scores-Taxi-v3.png", "final-scores-FrozenLake-v1.png", "performance-profile.png");
        assertThat(html.split("<img ", -1).length - 1).isEqualTo(5);
    }

    @Test
    void finalScoreTableHasTheStatsApisIntervals() {
        ScoreNormalization baselines = ScoreNormalization.builtIn();
        for (Path study : List.of(taxiQ, taxiSarsa, lakeQ)) {
            ScoreMatrix m = ScoresCsv.read(study.resolve("scores.csv"));
            assertThat(m.runs()).isEqualTo(3);
            List<IntervalEstimate> expected = new ArrayList<>(bootstrap().estimate(m, List.of(Metrics.IQM, Metrics.MEAN,
                    Metrics.MEDIAN)));
            expected.add(bootstrap().estimate(baselines.normalize(m), Metrics.OPTIMALITY_GAP));
            String rowStart = "<tr data-study=\"" + study.getFileName() + "\">";
            assertThat(rowIntervals(html, rowStart)).containsExactlyElementsOf(expected);
            String row = html.substring(html.indexOf(rowStart), html.indexOf("</tr>", html.indexOf(rowStart)));
            assertThat(row).contains("<td class=\"num\">3</td>", ">" + ReportHtml.fmt(Metrics.iqm(m)) + " <span class=\"ci\">"
                    + ReportHtml.range(expected.get(0)) + "</span>");
        }
    }

    @Test
    void aggregatesAreNormalizedAcrossEnvsAndImprovementComparesTheCommonEnv() {
        ScoreNormalization baselines = ScoreNormalization.builtIn();
        ScoreMatrix taxi = ScoresCsv.read(taxiQ.resolve("scores.csv"));
        ScoreMatrix lake = ScoresCsv.read(lakeQ.resolve("scores.csv"));
        double[][] byTask = new double[2][3];
        for (int r = 0; r < 3; r++) {
            byTask[0][r] = taxi.score(r, 0);
            byTask[1][r] = lake.score(r, 0);
        }
        ScoreMatrix qlearning = baselines.normalize(ScoreMatrix.ofTasks(List.of("Taxi-v3", "FrozenLake-v1"), byTask));
        assertThat(rowIntervals(html, "<tr data-method=\"qlearning\">")).containsExactlyElementsOf(bootstrap()
                .estimate(qlearning, List.of(Metrics.IQM, Metrics.MEAN, Metrics.MEDIAN, Metrics.OPTIMALITY_GAP)));
        assertThat(html).contains("aggregates and profiles use normalized scores");

        ScoreMatrix sarsa = ScoresCsv.read(taxiSarsa.resolve("scores.csv"));
        IntervalEstimate qOverSarsa = bootstrap().probabilityOfImprovement(taxi, sarsa);
        IntervalEstimate sarsaOverQ = bootstrap().probabilityOfImprovement(sarsa, taxi);
        String poi = html.substring(html.indexOf("<table class=\"poi\">"));
        assertThat(rowIntervals(poi, "<tr><th>qlearning</th>")).containsExactly(qOverSarsa);
        assertThat(rowIntervals(poi, "<tr><th>sarsa</th>")).containsExactly(sarsaOverQ);
        assertThat(qOverSarsa.point() + sarsaOverQ.point()).isEqualTo(1.0);
        assertThat(poi).contains("style=\"background:" + ReportHtml.poiColor(qOverSarsa.point()) + "\"");
    }

    @Test
    void learningCurvesAreTheIqmAcrossSeedsAtEveryEvaluation() {
        Study study = Study.load(taxiQ);
        ReportAnalysis a = new ReportAnalysis(List.of(study), 500, 3, false);
        ReportAnalysis.Curve curve = a.curves.get(0);
        assertThat(curve.steps()).containsExactly(10_000, 20_000, 30_000, 40_000, 50_000, 60_000);
        assertThat(curve.runs()).isEqualTo(3);
        List<ScoreMatrix> byStep = new ArrayList<>();
        for (long step : curve.steps()) {
            double[] scores = new double[3];
            for (int seed = 0; seed < 3; seed++) {
                scores[seed] = study.curves().get(step).get(Integer.toString(seed));
            }
            byStep.add(ScoreMatrix.ofTasks(List.of("Taxi-v3"), new double[][] {scores}));
        }
        assertThat(curve.iqm()).containsExactlyElementsOf(new StratifiedBootstrap(500, 0.95, 3)
                .sampleEfficiencyCurve(byStep, Metrics.IQM));
        assertThat(curve.iqm().get(5).point()).isEqualTo(Metrics.iqm(byStep.get(5)));
    }

    @Test
    void curvesUseTheCompleteSeedsOnly() throws IOException {
        // Seed 2 was interrupted after its first evaluation: it has curve rows but no final score.
        Path study = StudyFixtures.handWritten(dir.resolve("interrupted"), "CartPole-v1", "dqn", new long[] {0, 1},
                "task,run,score\nCartPole-v1,0,300\nCartPole-v1,1,200\n",
                "task,run,step,score\nCartPole-v1,0,100,10\nCartPole-v1,1,100,20\nCartPole-v1,2,100,30\n"
                        + "CartPole-v1,0,200,300\nCartPole-v1,1,200,200\n");
        ReportAnalysis a = new ReportAnalysis(List.of(Study.load(study)), 100, 0, false);
        assertThat(a.curves.get(0).steps()).containsExactly(100, 200);
        assertThat(a.curves.get(0).runs()).isEqualTo(2);
        assertThat(a.curves.get(0).iqm().get(0).point()).isEqualTo(15.0);
        assertThat(a.notes).isEmpty();
    }

    @Test
    void twoStudiesOfOneAlgorithmOnOneEnvAreToldApartByFolder() throws IOException {
        String curves = "task,run,step,score\n";
        Path a = StudyFixtures.handWritten(dir.resolve("lr-small"), "CartPole-v1", "dqn", new long[] {0, 1, 2},
                "task,run,score\nCartPole-v1,0,100\nCartPole-v1,1,120\nCartPole-v1,2,140\n", curves);
        Path b = StudyFixtures.handWritten(dir.resolve("lr-large"), "CartPole-v1", "dqn", new long[] {0, 1, 2},
                "task,run,score\nCartPole-v1,0,500\nCartPole-v1,1,480\nCartPole-v1,2,490\n", curves);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("report", a.toString(), b.toString(), "--out", out.toString(), "--reps", "200");
        assertThat(r.code()).as(r.err()).isZero();
        String page = Files.readString(out.resolve("index.html"));
        String poi = page.substring(page.indexOf("<table class=\"poi\">"));
        // Every large-rate run beats every small-rate run: P = 1 with a degenerate interval.
        assertThat(rowIntervals(poi, "<tr><th>dqn (lr-large)</th>")).containsExactly(new IntervalEstimate(1, 1, 1));
        assertThat(rowIntervals(poi, "<tr><th>dqn (lr-small)</th>")).containsExactly(new IntervalEstimate(0, 0, 0));
        assertThat(page).contains("No learning curve: no study on this env has evaluations");
        assertThat(out.resolve("learning-curves-CartPole-v1.png")).doesNotExist();
        assertThat(out.resolve("final-scores-CartPole-v1.png")).exists();
    }

    @Test
    void failedSeedIsShownWithItsEscapedError() {
        String summary = html.substring(html.indexOf("<section id=\"summary\">"), html.indexOf("<section id=\"learning-curves\">"));
        assertThat(summary).contains("seed 3: <span class=\"status-failed\">failed</span> &mdash; "
                + "&lt;boom&gt; &amp; &quot;quotes&quot;", "3 of 4 (3 with a final score)");
        assertThat(html).doesNotContain("<boom>");
    }

    @Test
    void sameArgumentsSameBytesAnotherSeedOtherIntervals() throws IOException {
        Path again = dir.resolve("again");
        Path other = dir.resolve("other");
        assertThat(CliTest.run("report", taxiQ.toString(), taxiSarsa.toString(), lakeQ.toString(), "--out", again.toString(),
                "--reps", Integer.toString(REPS), "--seed", Long.toString(SEED)).code()).isZero();
        assertThat(Files.readString(again.resolve("index.html"))).isEqualTo(html);
        assertThat(CliTest.run("report", taxiQ.toString(), taxiSarsa.toString(), lakeQ.toString(), "--out", other.toString(),
                "--reps", Integer.toString(REPS), "--seed", "8").code()).isZero();
        assertThat(Files.readString(other.resolve("index.html"))).isNotEqualTo(html);
    }

    @Test
    void studyWithoutScoreFilesFallsBackToItsSeedFolders() throws IOException {
        Path copy = dir.resolve("copy");
        copyTree(taxiQ, copy);
        Files.delete(copy.resolve("scores.csv"));
        Files.delete(copy.resolve("curves.csv"));
        Study original = Study.load(taxiQ);
        Study fallback = Study.load(copy);
        assertThat(fallback.finalScores()).isEqualTo(original.finalScores());
        assertThat(fallback.curves()).isEqualTo(original.curves());
    }

    @Test
    void studyWithoutSeedFoldersReadsStudyJsonAndTheCsvFiles() throws IOException {
        // as a sweep writes it: runs without "dir", the results only in scores.csv and curves.csv
        Path study = dir.resolve("learning_rate=0.001");
        Files.createDirectories(study);
        Files.writeString(study.resolve("study.json"), """
                {"format": "deepq.study", "version": 1, "source": "sweep", "env": "CartPole-v1", "algo": "dqn",
                 "preset": "none", "seeds": [0, 1, 2, 3],
                 "runs": [{"seed": 0, "status": "complete", "error": null},
                          {"seed": 1, "status": "complete", "error": null},
                          {"seed": 2, "status": "complete", "error": null},
                          {"seed": 3, "status": "failed", "error": "invalid setting: learning_rate"}],
                 "overrides": {"learning_rate": 0.001},
                 "config": {"learning_rate": 0.001, "gamma": 0.99, "hidden": [16, 16]},
                 "eval": {"episodes": 3, "frequency": 500}}
                """);
        Files.writeString(study.resolve("scores.csv"), "task,run,score\nCartPole-v1,0,30\nCartPole-v1,1,50\n");
        Files.writeString(study.resolve("curves.csv"), "task,run,step,score\nCartPole-v1,0,500,10\nCartPole-v1,1,500,20\n"
                + "CartPole-v1,0,1000,30\nCartPole-v1,1,1000,50\n");

        Study s = Study.load(study);
        assertThat(s.finalScores()).containsExactly(entry("0", 30.0), entry("1", 50.0));
        assertThat(s.runs()).extracting(Study.Run::status).containsExactly("complete", "complete", "missing", "failed");
        assertThat(s.runs().get(2).error()).contains("without a score in scores.csv");
        assertThat(s.runs()).extracting(Study.Run::dir).containsOnly("");
        assertThat(s.curves().keySet()).containsExactly(500L, 1000L);
        assertThat(s.curves().get(1000L)).containsExactly(entry("0", 30.0), entry("1", 50.0));
        assertThat(s.configSource()).isEqualTo("study.json (config)");
        assertThat(s.configYaml()).contains("learning_rate: 0.001", "gamma: 0.99");
        assertThat(s.evalEpisodes()).isEqualTo(3);
        assertThat(s.evalFrequency()).isEqualTo(500);

        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("report", study.toString(), "--out", out.toString(), "--reps", "200");
        assertThat(r.code()).as(r.err()).isZero();
        String page = Files.readString(out.resolve("index.html"));
        assertThat(page).contains("2 of 4 (2 with a final score)", "status-missing", "status-failed",
                "invalid setting: learning_rate", "From study.json (config)", "<tr data-study=\"learning_rate=0.001\">");
        assertThat(out.resolve("learning-curves-CartPole-v1.png")).exists();
        CliTest.Run resume = CliTest.run("resume", study.toString());
        assertThat(resume.code()).isEqualTo(2);
        assertThat(resume.err()).contains("written by 'deepq sweep'");
    }

    @Test
    void oneStudyWithoutAnyCompleteSeedIsReportedNotFatal() throws IOException {
        Path empty = StudyFixtures.handWritten(dir.resolve("all-failed"), "Taxi-v3", "dqn", new long[0],
                "task,run,score\n", "task,run,step,score\n");
        String json = Files.readString(empty.resolve("study.json")).replace("\"runs\" : [ ]",
                "\"runs\" : [ {\"seed\": 0, \"dir\": \"seed-0\", \"status\": \"interrupted\", \"error\": \"Ctrl-C\"} ]");
        Files.writeString(empty.resolve("study.json"), json);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("report", taxiQ.toString(), empty.toString(), "--out", out.toString(), "--reps", "200");
        assertThat(r.code()).as(r.err()).isZero();
        String page = Files.readString(out.resolve("index.html"));
        assertThat(page).contains("Study all-failed has no final scores", "status-interrupted", "Ctrl-C",
                "not computed: no study of this method has final scores");
    }

    @Test
    void singleStudyHasNoComparisonAndUsesRawReturns() throws IOException {
        Path out = dir.resolve("single");
        assertThat(CliTest.run("report", taxiQ.toString(), "--out", out.toString(), "--reps", "300").code()).isZero();
        String page = Files.readString(out.resolve("index.html"));
        assertThat(page).contains("Only one method: nothing to compare.", "All scores are the env&#39;s returns");
        ScoreMatrix m = ScoresCsv.read(taxiQ.resolve("scores.csv"));
        assertThat(rowIntervals(page, "<tr data-method=\"qlearning\">").get(0))
                .isEqualTo(new StratifiedBootstrap(300, 0.95, 0).estimate(m, Metrics.IQM));
    }

    @Test
    void userErrorsExitTwoWithAClearMessage() throws IOException {
        Path out = dir.resolve("out");
        assertError(List.of("report", dir.resolve("nope").toString(), "--out", out.toString()), "no such study folder");
        assertError(List.of("report", dir.toString(), "--out", out.toString()), "not a study folder: no study.json");
        assertError(List.of("report", taxiQ.resolve("seed-0").toString(), "--out", out.toString()),
                "looks like a single run folder");
        assertError(List.of("report", taxiQ.resolve("scores.csv").toString(), "--out", out.toString()), "not a study folder");
        assertError(List.of("report", taxiQ.toString(), taxiQ.toString(), "--out", out.toString()), "the same study is given twice");
        assertError(List.of("report", taxiQ.toString(), "--out", out.toString(), "--reps", "0"), "--reps must be a positive integer");
        assertError(List.of("report", taxiQ.toString(), "--out", taxiQ.resolve("scores.csv").toString()), "exists and is not a folder");
        assertError(List.of("report", taxiQ.toString()), "Missing required option: '--out=DIR'");

        Path badFormat = Files.createDirectories(dir.resolve("bad-format"));
        Files.writeString(badFormat.resolve("study.json"), "{\"format\": \"something\", \"version\": 1}");
        assertError(List.of("report", badFormat.toString(), "--out", out.toString()), "\"format\" is 'something', expected 'deepq.study'");
        Files.writeString(badFormat.resolve("study.json"), "{\"format\": \"deepq.study\", \"version\": 9}");
        assertError(List.of("report", badFormat.toString(), "--out", out.toString()), "\"version\" is 9; this deepq reads study version 1");
        Files.writeString(badFormat.resolve("study.json"), "{not json");
        assertError(List.of("report", badFormat.toString(), "--out", out.toString()), "not valid JSON");

        Path cliff = StudyFixtures.handWritten(dir.resolve("cliff"), "CliffWalking-v0", "qlearning", new long[] {0, 1},
                "task,run,score\nCliffWalking-v0,0,-13\nCliffWalking-v0,1,-17\n",
                "task,run,step,score\nCliffWalking-v0,0,100,-50\nCliffWalking-v0,1,100,-40\n");
        assertError(List.of("report", cliff.toString(), "--out", out.toString(), "--normalize"),
                "--normalize: no normalization baseline for CliffWalking-v0");
        Path badScores = StudyFixtures.handWritten(dir.resolve("bad-scores"), "Taxi-v3", "qlearning", new long[] {0},
                "task,run,score\nTaxi-v3,0,lots\n", "task,run,step,score\n");
        assertError(List.of("report", badScores.toString(), "--out", out.toString()), "column 'score' must be a finite number, got 'lots'");
        assertThat(out).doesNotExist();
        // Without --normalize, an env without a baseline is fine: raw returns, no optimality gap.
        CliTest.Run ok = CliTest.run("report", cliff.toString(), "--out", out.toString(), "--reps", "100");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(Files.readString(out.resolve("index.html"))).contains("<td class=\"num\">&mdash;</td></tr>");
    }

    static void assertError(List<String> args, String message) {
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertThat(r.code()).as(args + ": " + r.out() + r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains(message).doesNotContain("\tat ");
    }

    /** Headless Chromium loads the page: every figure decodes at its size, no script error, the sections are there. */
    @Test
    void rendersInHeadlessChromium() throws Exception {
        Optional<Path> chromium = onPath("chromium", "chromium-browser");
        assumeThat(chromium).as("chromium is not installed; the browser test is skipped").isPresent();
        // The report has no script; a copy gets one that records what the browser made of the figures.
        String probe = """
                <script>
                window.addEventListener('error', function (e) { document.title = 'ERROR ' + e.message; });
                window.addEventListener('load', function () {
                  var bad = [];
                  for (var i = 0; i < document.images.length; i++) {
                    var im = document.images[i];
                    if (!im.complete || im.naturalWidth !== %d || im.naturalHeight !== %d) bad.push(im.alt);
                  }
                  var d = document.createElement('div');
                  d.id = 'render-check';
                  d.textContent = 'images=' + document.images.length + ' broken=' + bad.length + ' [' + bad.join('|') + ']';
                  document.body.appendChild(d);
                });
                </script>
                """.formatted(ReportFigures.WIDTH, ReportFigures.HEIGHT);
        Path page = dir.resolve("probe.html");
        Files.writeString(page, html.replace("</body>", probe + "</body>"));
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        String dom = runChromium(chromium.get(), profile, "--dump-dom", page.toUri().toString());
        Matcher check = Pattern.compile("<div id=\"render-check\">([^<]*)</div>").matcher(dom);
        assertThat(check.find()).as("the probe ran; title: %s", dom.replaceAll("(?s).*<title>([^<]*)</title>.*", "$1")).isTrue();
        assertThat(check.group(1)).isEqualTo("images=5 broken=0 []");
        assertThat(dom).doesNotContain("<title>ERROR ");
        for (String id : ReportHtml.SECTIONS) {
            assertThat(dom).contains("<section id=\"" + id + "\">");
        }
        // A screenshot of the real page: drawn, not blank.
        Path shot = dir.resolve("shot.png");
        runChromium(chromium.get(), profile, "--screenshot=" + shot, "--window-size=1200,2400",
                report.resolve("index.html").toUri().toString());
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colors.add(image.getRGB(x, y));
            }
        }
        assertThat(colors.size()).isGreaterThan(50);
    }

    static Optional<Path> onPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : names) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    static String runChromium(Path chromium, Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--user-data-dir=" + profile,
                "--virtual-time-budget=10000"));
        cmd.addAll(List.of(args));
        Path stdout = Files.createTempFile(profile, "stdout", ".txt");
        Path stderr = Files.createTempFile(profile, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(stderr));
        }
        assertThat(p.exitValue()).as(Files.readString(stderr)).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
