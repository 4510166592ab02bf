package org.teachlearn.learn.chart;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;

/**
 * One or more chart panels stacked top to bottom, written as PNG (at twice the size, sharp in
 * print and on high-density screens) and as SVG (for papers). XChart's own encoders write one
 * chart per file; painting the panels onto one canvas keeps a run's curves in one picture.
 */
public final class Figure {

    /** PNG pixels per SVG unit. */
    static final int PNG_SCALE = 2;

    private final List<XYChart> panels;

    public Figure(List<XYChart> panels) {
        if (panels.isEmpty()) throw new IllegalArgumentException("a figure needs at least one chart");
        this.panels = List.copyOf(panels);
    }

    public Figure(XYChart... panels) {
        this(List.of(panels));
    }

    public List<XYChart> panels() {
        return panels;
    }

    public int width() {
        int w = 0;
        for (XYChart c : panels) w = Math.max(w, c.getWidth());
        return w;
    }

    public int height() {
        int h = 0;
        for (XYChart c : panels) h += c.getHeight();
        return h;
    }

    /** Writes {@code png} and the same figure as SVG beside it ({@code curve.png} → {@code curve.svg}). */
    public void write(Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(png, png());
        Files.write(svgBeside(png), svg());
    }

    /** {@code dir/name.png} → {@code dir/name.svg}. */
    public static Path svgBeside(Path png) {
        String name = png.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return png.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".svg");
    }

    public byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(width() * PNG_SCALE, height() * PNG_SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.scale(PNG_SCALE, PNG_SCALE);
        paint(g);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    public byte[] svg() throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        paint(g);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width(), height())).writeTo(bytes);
        return bytes.toByteArray();
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        int top = 0;
        for (XYChart c : panels) {
            Graphics2D panel = (Graphics2D) g.create(0, top, c.getWidth(), c.getHeight());
            c.paint(panel, c.getWidth(), c.getHeight());
            panel.dispose();
            top += c.getHeight();
        }
    }
}
