package dev.deepq.cli;

import dev.deepq.eval.stats.IntervalEstimate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of {@code deepq report}, drawn headless with XChart as PNG: learning curves with confidence bands,
 * final-score intervals and performance profiles. Intervals are drawn as translucent bands (a polygon along the upper
 * end and back along the lower end) or vertical bars, since XChart's error bars are symmetric and bootstrap
 * intervals are not.
 */
final class ReportFigures {
    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    /** Matplotlib's tab10, so methods keep their colour in every figure. */
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};

    private ReportFigures() {}

    static Color color(int methodIndex) {
        return PALETTE[methodIndex % PALETTE.length];
    }

    /** A series to draw: its method's colour and its points with their intervals. */
    record Line(String label, Color color, double[] x, List<IntervalEstimate> y) {}

    /** Lines with their confidence bands, e.g. IQM learning curves or performance profiles. */
    static byte[] bands(String title, String xTitle, String yTitle, List<Line> lines) {
        XYChart chart = chart(title, xTitle, yTitle);
        for (Line line : lines) {
            int n = line.x().length;
            double[] px = new double[2 * n];
            double[] py = new double[2 * n];
            double[] point = new double[n];
            for (int i = 0; i < n; i++) {
                IntervalEstimate e = line.y().get(i);
                point[i] = e.point();
                px[i] = line.x()[i];
                py[i] = e.high();
                px[2 * n - 1 - i] = line.x()[i];
                py[2 * n - 1 - i] = e.low();
            }
            XYSeries band = chart.addSeries(line.label() + " (" + ciPercent() + " CI)", px, py);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setMarker(SeriesMarkers.NONE);
            band.setFillColor(translucent(line.color(), 60));
            band.setLineColor(translucent(line.color(), 0));
            band.setShowInLegend(false);
            XYSeries s = chart.addSeries(line.label(), line.x(), point);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(n <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setMarkerColor(line.color());
            s.setLineColor(line.color());
            s.setLineStyle(new BasicStroke(2f));
        }
        return png(chart);
    }

    /** One point with its interval per label, side by side: final scores of the studies on one env. */
    static byte[] intervals(String title, String yTitle, List<String> labels, List<Color> colors,
                            List<IntervalEstimate> estimates) {
        XYChart chart = chart(title, "", yTitle);
        chart.getStyler().setXAxisMin(0.5);
        chart.getStyler().setXAxisMax(labels.size() + 0.5);
        // Positions on the x axis carry no meaning: the legend names the bars.
        chart.getStyler().setXAxisTicksVisible(false);
        for (int i = 0; i < labels.size(); i++) {
            IntervalEstimate e = estimates.get(i);
            double x = i + 1;
            XYSeries bar = chart.addSeries(labels.get(i), new double[] {x, x}, new double[] {e.low(), e.high()});
            bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineColor(translucent(colors.get(i), 150));
            bar.setLineStyle(new BasicStroke(14f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            XYSeries point = chart.addSeries(labels.get(i) + " IQM", new double[] {x}, new double[] {e.point()});
            point.setShowInLegend(false);
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            point.setMarker(SeriesMarkers.DIAMOND);
            point.setMarkerColor(Color.BLACK);
        }
        return png(chart);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setXAxisDecimalPattern("#,###.##");
        chart.getStyler().setXAxisTickMarkSpacingHint(100);
        return chart;
    }

    static String ciPercent() {
        return Math.round(100 * ReportAnalysis.CONFIDENCE) + "%";
    }

    private static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    private static byte[] png(XYChart chart) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG figure", e);
        }
        return png.toByteArray();
    }
}
