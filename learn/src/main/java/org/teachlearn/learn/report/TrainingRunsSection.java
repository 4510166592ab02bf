package org.teachlearn.learn.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.teachlearn.learn.chart.Figure;

/**
 * The part of a report about training runs: a table of their figures, a chart per task where
 * several runs can be compared (BC vs DAgger at equal labels, seeds of one method), and each
 * run's own curves. Comparison charts are also written beside the report as PNG and SVG.
 */
public final class TrainingRunsSection {

    private TrainingRunsSection() {
    }

    /** Adds the runs to {@code html}; comparison charts go to {@code chartDir}/compare-*.png|svg. Returns the charts written. */
    public static List<Path> add(HtmlReport html, List<RunDirectory> runs, Path chartDir) throws IOException {
        html.heading("Runs");
        html.table(List.of("run", "method", "task", "seed", "expert labels", "env steps", "evaluation success", "eval. episodes",
                "mean return (eval.)"), rows(runs));
        List<Path> written = new ArrayList<>();
        Map<String, List<RunDirectory>> groups = new LinkedHashMap<>();
        for (RunDirectory r : runs) groups.computeIfAbsent((r.imitation() ? "imitation " : "rl ") + r.condition(), k -> new ArrayList<>()).add(r);
        boolean headed = false;
        for (Map.Entry<String, List<RunDirectory>> g : groups.entrySet()) {
            List<RunDirectory> group = g.getValue();
            if (group.size() < 2) continue;
            if (!headed) {
                html.heading("Comparisons");
                headed = true;
            }
            String title = title(group);
            Path png = chartDir.resolve("compare-" + g.getKey().replaceAll("[^A-Za-z0-9]+", "-") + ".png");
            RunComparison.figure(title, group).write(png);
            written.add(png);
            html.figure(Figure.svgBeside(png), title, caption(group) + " Files: " + png.getFileName() + ", " + Figure.svgBeside(png).getFileName() + ".");
        }
        html.heading("Each run's curves");
        for (RunDirectory r : runs) {
            Path image = r.curveImage();
            if (image == null) {
                html.paragraph(r.name() + ": no curve image (train writes curve.png and curve.svg at its checkpoints).");
                continue;
            }
            html.figure(image, r.name() + " learning curves", r.name() + ": " + (r.summary().isEmpty() ? r.toString() : r.summary()));
        }
        return written;
    }

    private static List<List<String>> rows(List<RunDirectory> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunDirectory r : runs) {
            double labels = r.imitation() ? r.last("labels") : Double.NaN;
            rows.add(List.of(r.name(), r.method(), r.condition(), r.seed(), count(labels), count(r.last("env_steps")),
                    Double.isNaN(r.last("eval_success_rate")) ? "—" : String.format(Locale.ROOT, "%.1f %%", 100 * r.last("eval_success_rate")),
                    r.setting("eval-episodes").isEmpty() ? "—" : r.setting("eval-episodes"),
                    Double.isNaN(r.last("eval_return")) ? "—" : String.format(Locale.ROOT, "%.2f", r.last("eval_return"))));
        }
        return rows;
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,d", (long) v);
    }

    private static String title(List<RunDirectory> group) {
        List<String> methods = group.stream().map(r -> RunComparison.legendName(r, group)).distinct().toList();
        String on = " on " + group.get(0).condition();
        if (methods.size() == 1) return methods.get(0) + on + ", " + group.size() + " seeds";
        return String.join(" vs ", methods) + on + (group.get(0).imitation() ? " at equal expert labels" : "");
    }

    private static String caption(List<RunDirectory> group) {
        StringBuilder s = new StringBuilder("Evaluation success (deterministic policy) and mean evaluation return of ");
        s.append(String.join(", ", group.stream().map(RunDirectory::name).toList())).append(group.get(0).imitation()
                ? ", against the expert labels each method had used (BC's demonstrations count every labelled state)."
                : ", against environment steps.");
        if (group.stream().map(r -> RunComparison.legendName(r, group)).distinct().count() < group.size()) {
            s.append(" Several seeds of one configuration: the line is their mean, the band (range) spans the lowest to the highest seed.");
        }
        return s.toString();
    }
}
