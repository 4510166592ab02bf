package org.teachlearn.learn.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look of every chart the project draws, so a curve from `train`, the bench and the demo can
 * sit side by side in a paper: white background, light grid, compact tick labels, success always
 * on 0–100 %, colours that stay distinct for colour-blind readers (Okabe and Ito's palette).
 */
public final class PaperStyle {

    static {
        // XChart measures text through AWT, and java.awt.Color fixes AWT's headless mode when first
        // used: say so before the colours below, or a machine with a stale DISPLAY fails to draw.
        System.setProperty("java.awt.headless", "true");
    }

    /** Okabe–Ito: blue, vermilion, bluish green, orange, reddish purple, sky blue, yellow, black. */
    public static final Color[] COLOURS = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(230, 159, 0),
        new Color(204, 121, 167), new Color(86, 180, 233), new Color(240, 228, 66), Color.BLACK};

    public static final int WIDTH = 720, PANEL_HEIGHT = 330;

    private PaperStyle() {
    }

    /** An empty line chart with the house look (no title line when {@code title} is null); ticks read 10k, 200k, 0.5. */
    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title == null ? "" : title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setPlotBorderVisible(true)
                .setPlotBorderColor(new Color(0x99, 0x99, 0x99))
                .setChartTitleVisible(title != null && !title.isEmpty())
                .setChartTitleBoxVisible(false)
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14))
                .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setLegendBorderColor(new Color(0xcc, 0xcc, 0xcc))
                // Below the plot: inside it, a legend hides early, low curves.
                .setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal)
                .setSeriesColors(COLOURS)
                // The same room for y tick labels in every panel, so stacked panels' plots line up.
                .setYAxisLeftWidthHint(64)
                .setAntiAlias(true);
        c.getStyler().setPlotGridLinesColor(new Color(0xe4, 0xe4, 0xe4))
                .setPlotGridLinesStroke(new BasicStroke(0.8f))
                .setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
                .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setAxisTickPadding(4)
                .setAxisTicksLineVisible(false)
                .setXAxisTickLabelsFormattingFunction(TickLabels::compact)
                .setYAxisTickLabelsFormattingFunction(TickLabels::compact);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 12)).setAnnotationTextFontColor(new Color(0x33, 0x33, 0x33));
        return c;
    }

    /** Success rate on its full scale: 0–100 %, ticks every 20 points, whatever the data. */
    public static void successAxis(XYChart c) {
        // A little past 0 and 100 so markers there are whole; ticks stay on 0, 20, ... 100.
        c.getStyler().setYAxisMin(-4.0).setYAxisMax(104.0).setYAxisTickLabelsFormattingFunction(v -> TickLabels.plain(v, 0));
        c.setYAxisTitle("success rate (%)");
    }

    /**
     * Writes {@code valueFormat} of the curve's last point just above it (below it near the top),
     * so the figure a reader quotes is on the chart and a lone evaluation reads as a result. Meant
     * for an axis of fixed range (success), where the offset is a known height on the page.
     */
    public static void labelLast(XYChart c, Curve curve, String valueFormat) {
        double[] range = yRange(c);
        double y = curve.lastY(), offset = 0.07 * (range[1] - range[0]);
        double at = y + offset <= range[1] - offset / 2 ? y + offset : y - offset;
        c.addAnnotation(new AnnotationText(String.format(Locale.ROOT, valueFormat, y), curve.lastX(), at, false));
    }

    /**
     * Last touches once the series are in: x from 0 to a little past the last point (so end
     * markers and their labels are not cut by the frame), a flat line shown around its value
     * rather than on an axis of its own rounding noise, and a word where there is no data.
     */
    public static void finish(XYChart c, double maxX) {
        c.getStyler().setXAxisMin(0.0).setXAxisMax(maxX > 0 ? maxX * 1.05 : 1.0);
        if (c.getSeriesCollection().isEmpty()) {
            // XChart draws no axes without a series: an invisible one, and no ticks on a scale that means nothing.
            if (c.getStyler().getYAxisMax() == null) c.getStyler().setYAxisMin(-1.0).setYAxisMax(1.0);
            c.getStyler().setYAxisTicksVisible(false);
            double[] range = yRange(c);
            XYSeries none = c.addSeries("no data", new double[] {0}, new double[] {range[0]});
            none.setMarker(SeriesMarkers.NONE);
            c.getStyler().setLegendVisible(false);
            if (maxX <= 0) c.getStyler().setXAxisTicksVisible(false);
            c.addAnnotation(new AnnotationText("no data yet", maxX > 0 ? maxX / 2 : 0.5, (range[0] + range[1]) / 2, false));
            return;
        }
        if (c.getStyler().getYAxisMax() == null) {
            double[] range = yRange(c);
            if (range[1] - range[0] < 1e-9 * Math.max(1, Math.abs(range[0]))) {
                double pad = Math.max(1, Math.abs(range[0]) * 0.1);
                c.getStyler().setYAxisMin(range[0] - pad).setYAxisMax(range[0] + pad);
            }
        }
    }

    /** The y axis's fixed range if it has one, else the span of the data. */
    static double[] yRange(XYChart c) {
        Double min = c.getStyler().getYAxisMin(), max = c.getStyler().getYAxisMax();
        if (min != null && max != null) return new double[] {min, max};
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : c.getSeriesCollection()) {
            for (double v : s.getYData()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
    }
}
