package dev.deepq.spark;

import dev.deepq.eval.Aggregates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep's summary table: per configuration, the final greedy evaluation over seeds (mean, IQM, std, min, max of
 * the per-seed final means), then every failed task with its error.
 */
public final class SweepSummary {
    private SweepSummary() {}

    /** Per configuration (in plan order): its rows. */
    public static Map<String, List<SweepRow>> byConfiguration(List<SweepRow> rows) {
        Map<String, List<SweepRow>> groups = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            groups.computeIfAbsent(r.configId(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    public static String table(SweepPlan plan, List<SweepRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sweep: %s, %s, preset %s; %d configurations x %d seeds = %d runs%n",
                plan.spec().env(), rows.isEmpty() ? "-" : rows.get(0).algo(), plan.presetName(),
                plan.configurationCount(), plan.spec().seeds().size(), rows.size()));
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"config", "overrides", "runs", "final mean", "final IQM", "std", "min", "max", "wall s"});
        for (Map.Entry<String, List<SweepRow>> g : byConfiguration(rows).entrySet()) {
            List<SweepRow> group = g.getValue();
            double[] finals = group.stream().filter(SweepRow::ok).mapToDouble(SweepRow::finalEvalMean).toArray();
            double wall = group.stream().mapToDouble(SweepRow::wallTimeS).sum();
            String label = label(group.get(0).overrides());
            if (finals.length == 0) {
                lines.add(new String[] {g.getKey(), label, "0/" + group.size(), "-", "-", "-", "-", "-", fmt(wall)});
                continue;
            }
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double f : finals) {
                mean += f;
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            mean /= finals.length;
            double var = 0;
            for (double f : finals) {
                var += (f - mean) * (f - mean);
            }
            double std = Math.sqrt(var / finals.length);
            lines.add(new String[] {g.getKey(), label, finals.length + "/" + group.size(), fmt(mean),
                fmt(Aggregates.iqm(finals)), fmt(std), fmt(min), fmt(max), fmt(wall)});
        }
        appendTable(sb, lines);
        List<SweepRow> failed = rows.stream().filter(r -> !r.ok()).toList();
        if (failed.isEmpty()) {
            sb.append("all runs completed\n");
        } else {
            sb.append(String.format(Locale.ROOT, "%d failed runs:%n", failed.size()));
            for (SweepRow r : failed) {
                sb.append(String.format(Locale.ROOT, "  %s  %s, seed %d: %s%n", r.taskId(), label(r.overrides()),
                        r.seed(), r.error()));
            }
        }
        return sb.toString();
    }

    /** {@code {"learning_rate":0.001}} as {@code learning_rate=0.001}; "base" when empty. */
    static String label(String overridesJson) {
        String inner = overridesJson.substring(1, overridesJson.length() - 1);
        return inner.isEmpty() ? "base" : inner.replace("\":", "=").replace(",\"", ", ").replace("\"", "");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void appendTable(StringBuilder sb, List<String[]> lines) {
        int[] widths = new int[lines.get(0).length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                // text columns left-aligned, numbers right-aligned
                String cell = i < 2 ? pad(line[i], widths[i], false) : pad(line[i], widths[i], true);
                l.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
