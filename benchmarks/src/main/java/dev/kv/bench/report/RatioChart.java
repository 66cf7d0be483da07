package dev.kv.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The PNG bar chart of the throughput ratios, one group of bars per operation and thread count.
 * Bars are cut at {@link #CEILING}: one ratio far above it (Redis has no ordered keys to scan)
 * would flatten all the others.
 */
final class RatioChart {

    static final double CEILING = 2.0;

    private RatioChart() {}

    /**
     * @param categories x-axis labels, e.g. {@code get (hit) ×8}
     * @param series ratio name to one value per category (NaN where not measured)
     * @param target the line drawn across the chart
     */
    static void write(Path png, List<String> categories, Map<String, List<Double>> series, double target)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder()
                .width(Math.max(1600, 56 * categories.size()))
                .height(800)
                .title(
                        "kv throughput relative to raw JDBC and Redis (1.0 = as fast; dashed line = 0.8 target vs raw JDBC; "
                                + "bars cut at " + CEILING + ")")
                .xAxisTitle("operation, threads")
                .yAxisTitle("throughput ratio")
                .build();
        CategoryStyler styler = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(35);
        chart.getStyler().setYAxisMin(0.0);
        double highest = series.values().stream()
                .flatMap(List::stream)
                .filter(v -> !v.isNaN())
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(1.0);
        chart.getStyler().setYAxisMax(Math.min(CEILING, Math.ceil(Math.max(1.0, highest) * 10 + 1) / 10));
        chart.getStyler().setYAxisDecimalPattern("0.0#");
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        series.forEach((name, values) -> chart.addSeries(
                name,
                categories,
                values.stream()
                        .map(value -> value.isNaN() ? 0.0 : Math.min(value, CEILING))
                        .toList()));
        AnnotationLine line = new AnnotationLine(target, false, false);
        styler.setAnnotationLineColor(Color.RED);
        styler.setAnnotationLineStroke(
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        chart.addAnnotation(line);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
