package org.teachlearn.learn.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** PNG plots of a run's CSV log: each requested column against the x column, one panel per column. */
public final class LearningCurve {

    private static final int PANEL_W = 640, PANEL_H = 240, MARGIN = 56;

    private LearningCurve() {
    }

    public static void plot(Path csv, String xColumn, String[] yColumns, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        String[] header = CsvLog.header(csv);
        List<double[]> rows = CsvLog.read(csv);
        int x = index(header, xColumn);
        BufferedImage img = new BufferedImage(PANEL_W, PANEL_H * yColumns.length + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, MARGIN, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int p = 0; p < yColumns.length; p++) panel(g, rows, x, index(header, yColumns[p]), xColumn, yColumns[p], 30 + p * PANEL_H);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, List<double[]> rows, int x, int y, String xName, String yName, int top) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (double[] r : rows) {
            if (r.length <= Math.max(x, y) || Double.isNaN(r[x]) || Double.isNaN(r[y])) continue;
            x0 = Math.min(x0, r[x]);
            x1 = Math.max(x1, r[x]);
            y0 = Math.min(y0, r[y]);
            y1 = Math.max(y1, r[y]);
        }
        int left = MARGIN, right = PANEL_W - 16, bottom = top + PANEL_H - 36, upper = top + 10;
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(left, upper, right - left, bottom - upper);
        g.setColor(Color.BLACK);
        g.drawString(yName, left + 6, upper + 14);
        g.drawString(xName, (left + right) / 2, bottom + 28);
        if (x0 > x1) {
            g.drawString("no data", (left + right) / 2, (upper + bottom) / 2);
            return;
        }
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) {
            y1 = y0 + 0.5;
            y0 -= 0.5;
        }
        g.drawString(fmt(y1), 4, upper + 10);
        g.drawString(fmt(y0), 4, bottom);
        g.drawString(fmt(x0), left, bottom + 14);
        g.drawString(fmt(x1), right - 50, bottom + 14);
        g.setColor(new Color(31, 119, 180));
        g.setStroke(new BasicStroke(1.6f));
        int px = -1, py = -1;
        for (double[] r : rows) {
            if (r.length <= Math.max(x, y) || Double.isNaN(r[x]) || Double.isNaN(r[y])) continue;
            int cx = (int) (left + (r[x] - x0) / (x1 - x0) * (right - left));
            int cy = (int) (bottom - (r[y] - y0) / (y1 - y0) * (bottom - upper));
            if (px >= 0) g.drawLine(px, py, cx, cy);
            g.fillOval(cx - 2, cy - 2, 4, 4);
            px = cx;
            py = cy;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static int index(String[] header, String name) {
        for (int i = 0; i < header.length; i++) if (header[i].equals(name)) return i;
        throw new IllegalArgumentException("the log has no column '" + name + "' (columns: " + String.join(", ", header) + ")");
    }
}
