package org.teachlearn.learn.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * One self-contained HTML page a person opens in a browser: headings, text, tables and charts.
 * Charts are embedded as data: URIs (SVG, else PNG), each its own document, so the page needs
 * nothing beside it and nothing from the network, and the SVGs' clip-path ids cannot collide.
 */
public final class HtmlReport {

    private static final String STYLE = String.join("\n",
            "body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; color: #222; max-width: 1000px; margin: 2em auto;",
            "       padding: 0 1.5em; line-height: 1.45; }",
            "h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }",
            "p.meta { color: #666; margin-top: 0; }",
            "table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }",
            "th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.8em; text-align: left; vertical-align: top; }",
            "th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }",
            "td:first-child { white-space: nowrap; }",
            "figure { margin: 1.5em 0; } figure img { width: 100%; max-width: 900px; height: auto; border: 1px solid #eee; }",
            "figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; } code { font-size: 0.9em; }");

    private final String title;
    private final StringBuilder body = new StringBuilder();

    public HtmlReport(String title, String subtitle) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
        if (subtitle != null && !subtitle.isEmpty()) body.append("<p class=\"meta\">").append(escape(subtitle)).append("</p>\n");
    }

    public HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlReport list(List<String> items) {
        body.append("<ul>\n");
        for (String i : items) body.append("  <li>").append(escape(i)).append("</li>\n");
        body.append("</ul>\n");
        return this;
    }

    /** A table; cells that read as numbers (92.0 %, 7,512, -3.41, —) are right-aligned. */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n  <tr>");
        for (String h : header) body.append("<th>").append(escape(h)).append("</th>");
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("  <tr>");
            for (String cell : row) {
                body.append(cell.matches("[-+]?[0-9][0-9,.]*( ?%| k| M)?|—") ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A chart from its SVG or PNG file, embedded in the page. */
    public HtmlReport figure(Path image, String alt, String caption) throws IOException {
        String name = image.getFileName().toString().toLowerCase();
        String type = name.endsWith(".svg") ? "image/svg+xml" : name.endsWith(".png") ? "image/png" : null;
        if (type == null) throw new IllegalArgumentException("a figure is an .svg or .png file, not " + image);
        body.append("<figure>\n  <img alt=\"").append(escape(alt)).append("\" src=\"data:").append(type).append(";base64,")
                .append(Base64.getEncoder().encodeToString(Files.readAllBytes(image))).append("\">\n");
        if (caption != null && !caption.isEmpty()) body.append("  <figcaption>").append(escape(caption)).append("</figcaption>\n");
        body.append("</figure>\n");
        return this;
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title) + "</title>\n<style>\n" + STYLE
                + "\n</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, html(), StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
