package org.teachlearn.learn.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./teach_learn report RUN_DIR... [--out report.html] [--title TEXT]}: one self-contained
 * HTML page about finished (or running) training runs, with comparison charts written beside it
 * as PNG and SVG. Works on any run directories, so a long benchmark's runs can be re-reported.
 */
public final class ReportCommand {

    private ReportCommand() {
    }

    public static void main(String[] args) throws Exception {
        run(List.of(args));
    }

    public static void run(List<String> args) throws Exception {
        Path out = Path.of("report.html");
        String title = "teach_learn training report";
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--out") || a.equals("--title")) && i + 1 >= args.size()) throw new IllegalArgumentException(a + " needs a value\n" + usage());
            if (a.equals("--out")) out = Path.of(args.get(++i));
            else if (a.equals("--title")) title = args.get(++i);
            else if (a.equals("-h") || a.equals("--help")) {
                System.out.println(usage());
                return;
            } else if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            else dirs.add(Path.of(a));
        }
        if (dirs.isEmpty()) throw new IllegalArgumentException("no run directories given\n" + usage());
        List<RunDirectory> runs = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) throw new IllegalArgumentException(d + " is not a directory (give the --out directories of train runs)");
            runs.add(RunDirectory.read(d));
        }
        HtmlReport html = new HtmlReport(title, runs.size() + " training runs: " + String.join(", ", runs.stream().map(RunDirectory::name).toList()));
        List<Path> charts = TrainingRunsSection.add(html, runs, out.toAbsolutePath().getParent());
        html.write(out);
        System.out.println("report " + out.toAbsolutePath() + (charts.isEmpty() ? "" : "; comparison charts " + charts + " (and .svg)"));
    }

    static String usage() {
        return "usage: ./teach_learn report RUN_DIR... [--out report.html] [--title TEXT]\n"
                + "  RUN_DIR: directories written by ./teach_learn train (progress.csv, curve.svg|png, checkpoint.bin, summary.txt)";
    }
}
