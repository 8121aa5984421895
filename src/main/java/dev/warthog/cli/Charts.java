package dev.warthog.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Line plots for the commands that write figures ({@code compare}, {@code bench},
 * {@code experiment}): one call writes PREFIX.png and PREFIX.svg. Series whose name ends
 * in " (ideal)" or " (theory)" are drawn dashed without markers.
 */
final class Charts {
    private Charts() {}

    /** One named curve. */
    record Series(String name, double[] x, double[] y) {}

    /** A plot's axes and scales. */
    record Axes(String title, String xLabel, String yLabel, boolean logX, boolean logY) {}

    /** Writes {@code prefix}.png and {@code prefix}.svg; returns the two paths. */
    static List<Path> write(Path prefix, Axes axes, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(axes.title())
                .xAxisTitle(axes.xLabel()).yAxisTitle(axes.yLabel()).build();
        chart.getStyler().setXAxisLogarithmic(axes.logX()).setYAxisLogarithmic(axes.logY());
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (Series s : series) {
            if (s.x().length == 0) continue;
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            if (s.name().endsWith("(ideal)") || s.name().endsWith("(theory)")) {
                xy.setMarker(SeriesMarkers.NONE);
                xy.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                        10f, new float[]{6f, 4f}, 0f));
            }
        }
        Path png = Path.of(prefix + ".png"), svg = Path.of(prefix + ".svg");
        try {
            Path dir = prefix.toAbsolutePath().getParent();
            if (dir != null) java.nio.file.Files.createDirectories(dir);
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + png + ": " + e.getMessage(), e);
        }
        return List.of(png, svg);
    }

    /** A markdown table of {@code rows} under {@code header}. */
    static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) b.append("---|");
        b.append('\n');
        for (List<String> r : rows) b.append("| ").append(String.join(" | ", r)).append(" |\n");
        return b.toString();
    }

    /** Convenience: an ordered map of series names to (x, y) lists, converted to {@link Series}. */
    static List<Series> series(LinkedHashMap<String, double[][]> xy) {
        return xy.entrySet().stream().map((Map.Entry<String, double[][]> e) -> new Series(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
    }
}
