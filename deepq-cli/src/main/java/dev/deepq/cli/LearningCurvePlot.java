package dev.deepq.cli;

import dev.deepq.io.AtomicFiles;
import dev.deepq.train.EpisodeLog;
import dev.deepq.train.PeriodicEvaluation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code learning_curve.png}: every training episode's return (faint dots) at the env step it ended, their moving
 * average, and the periodic evaluations' mean with ± one standard deviation as error bars. Drawn headless with XChart.
 */
final class LearningCurvePlot {
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    private LearningCurvePlot() {}

    /** The moving-average window: about a twentieth of the episodes, between 1 and 100. */
    static int window(int episodes) {
        return Math.max(1, Math.min(100, episodes / 20));
    }

    static void write(Path file, String title, EpisodeLog episodes, List<PeriodicEvaluation.Result> evaluations)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("environment steps").yAxisTitle("episode return").build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setXAxisDecimalPattern("#,###");

        int n = episodes.size();
        if (n > 0) {
            double[] x = new double[n];
            double[] y = new double[n];
            double[] smooth = new double[n];
            int window = window(n);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                x[i] = episodes.endStepOf(i);
                y[i] = episodes.returnOf(i);
                sum += y[i];
                if (i >= window) {
                    sum -= episodes.returnOf(i - window);
                }
                smooth[i] = sum / Math.min(i + 1, window);
            }
            XYSeries raw = chart.addSeries("training episode return", x, y);
            raw.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            raw.setMarker(SeriesMarkers.CIRCLE);
            raw.setMarkerColor(new Color(31, 119, 180, 110));
            XYSeries avg = chart.addSeries("moving average (" + window + " episodes)", x, smooth);
            avg.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            avg.setMarker(SeriesMarkers.NONE);
            avg.setLineColor(new Color(31, 119, 180));
            avg.setLineStyle(new BasicStroke(2.5f));
        }
        if (!evaluations.isEmpty()) {
            int m = evaluations.size();
            double[] x = new double[m];
            double[] mean = new double[m];
            double[] std = new double[m];
            for (int i = 0; i < m; i++) {
                x[i] = evaluations.get(i).step();
                mean[i] = evaluations.get(i).stats().mean();
                std[i] = evaluations.get(i).stats().std();
            }
            XYSeries eval = chart.addSeries("evaluation mean ± std (" + evaluations.get(0).stats().episodes()
                    + " episodes)", x, mean, std);
            eval.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            eval.setMarker(SeriesMarkers.DIAMOND);
            eval.setMarkerColor(new Color(214, 39, 40));
            eval.setLineColor(new Color(214, 39, 40));
            eval.setLineStyle(new BasicStroke(1.5f));
            chart.getStyler().setErrorBarsColor(new Color(214, 39, 40));
            chart.getStyler().setErrorBarsColorSeriesColor(true);
        }
        if (n == 0 && evaluations.isEmpty()) {
            chart.addSeries("no finished episode", new double[] {0}, new double[] {0});
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, png.toByteArray());
    }
}
