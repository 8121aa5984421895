package dev.warthog.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import dev.warthog.io.AtomicFiles;

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
        List<Path> files = files(prefix);
        save(chart, files.get(0), files.get(1));
        return files;
    }

    /** The files {@link #write} writes for {@code prefix}: PREFIX.png and PREFIX.svg. */
    static List<Path> files(Path prefix) {
        return List.of(Path.of(prefix + ".png"), Path.of(prefix + ".svg"));
    }

    /** Writes {@code chart} to {@code png} and {@code svg}, each atomically. */
    static void save(XYChart chart, Path png, Path svg) {
        AtomicFiles.writeBytes(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        AtomicFiles.writeBytes(svg, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
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
