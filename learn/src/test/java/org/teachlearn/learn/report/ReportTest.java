package org.teachlearn.learn.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.train.LearningCurve;

/** Curves are written as PNG and SVG; the report is one page that needs nothing beside it or from the network. */
class ReportTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    @Test
    void everyCurveIsWrittenAsPngAndSvg() throws Exception {
        Path run = onPolicyRun("ppo-s1", 1.0);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(run.resolve("curve.png")), 4));
        String svg = Files.readString(run.resolve("curve.svg"));
        assertTrue(svg.contains("<svg") && svg.contains("</svg>"), svg.substring(0, Math.min(300, svg.length())));
    }

    @Test
    void aLoneEvaluationStillMakesAChart() throws Exception {
        Path run = imitationRun("bc-pushes", new double[][] {{20, 400, 0.02, 0.45, -50}});
        assertTrue(Files.size(run.resolve("curve.png")) > 0 && Files.size(run.resolve("curve.svg")) > 0);
    }

    @Test
    void aLogWithNoRowsYetStillDraws() throws Exception {
        Path run = imitationRun("dagger-empty", new double[0][]);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(run.resolve("curve.png")), 4));
    }

    @Test
    void reportIsOneSelfContainedPageWithTablesAndCharts() throws Exception {
        List<Path> runs = List.of(
                imitationRun("bc-pushes", new double[][] {{20, 400, 0.02, 0.45, -50}}),
                imitationRun("dagger-pushes", new double[][] {{0, 100, 0.05, 0.1, -90}, {1, 250, 0.04, 0.5, -40}, {2, 400, 0.03, 0.8, -20}}),
                onPolicyRun("ppo-s1", 1.0), onPolicyRun("ppo-s2", 0.8), onPolicyRun("ppo-s3", 0.9));
        Path html = dir.resolve("out/report.html");
        String[] args = {runs.get(0).toString(), runs.get(1).toString(), runs.get(2).toString(), runs.get(3).toString(), runs.get(4).toString(),
            "--out", html.toString()};
        ReportCommand.main(args);
        String page = Files.readString(html);
        assertFalse(page.contains("http://") || page.contains("https://"), "the page refers to the network");
        assertFalse(page.contains("<script") || page.contains("<link") || page.contains("@import") || page.contains("url("),
                "the page loads scripts, style sheets or fonts");
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(page);
        int images = 0;
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:image/"), "an image outside the page: " + src.group(1));
            images++;
        }
        // two comparisons (BC vs DAgger, PPO seeds) and the five runs' own curves
        assertEquals(7, images, page.replaceAll("base64,[A-Za-z0-9+/=]+", "base64,…"));
        assertTrue(page.contains("<table>") && page.contains("dagger-pushes") && page.contains("80.0 %"), "the runs table");
        assertTrue(page.contains("BC vs DAgger on reach at equal expert labels"), "the imitation comparison");
        assertTrue(page.contains("PPO on reach, 3 seeds"), "the seeds comparison");
        for (String chart : new String[] {"compare-imitation-reach", "compare-rl-reach"}) {
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(html.resolveSibling(chart + ".png")), 4), chart);
            assertTrue(Files.readString(html.resolveSibling(chart + ".svg")).contains("<svg"), chart);
        }
    }

    @Test
    void runsDifferingInMoreThanTheirSeedAreNamedApart() {
        RunDirectory fifty = settings("bc-a", "algo", "bc", "demos", "50", "seed", "1"), fiftyAgain = settings("bc-b", "algo", "bc", "demos", "50", "seed", "2"),
                hundred = settings("bc-c", "algo", "bc", "demos", "100", "seed", "1");
        List<RunDirectory> all = List.of(fifty, fiftyAgain, hundred);
        assertEquals("BC (demos 50)", RunComparison.legendName(fifty, all));
        assertEquals("BC (demos 50)", RunComparison.legendName(fiftyAgain, all), "seeds of one configuration share a line");
        assertEquals("BC (demos 100)", RunComparison.legendName(hundred, all));
        assertEquals("BC", RunComparison.legendName(fifty, List.of(fifty, fiftyAgain)));
    }

    private RunDirectory settings(String name, String... keyValues) {
        java.util.Map<String, String> s = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) s.put(keyValues[i], keyValues[i + 1]);
        return new RunDirectory(dir.resolve(name), s, new String[] {"iteration", "labels"}, List.of(), "");
    }

    /** A behaviour-cloning or DAgger log as ImitationTraining writes it: iteration, labels, loss, eval_success_rate, eval_return. */
    private Path imitationRun(String name, double[][] evaluations) throws IOException {
        StringBuilder csv = new StringBuilder("iteration,labels,loss,eval_success_rate,eval_return\n");
        for (double[] e : evaluations) csv.append(String.format(java.util.Locale.ROOT, "%.0f,%.0f,%s,%s,%s%n", e[0], e[1], e[2], e[3], e[4]));
        Path run = dir.resolve(name);
        Files.createDirectories(run);
        Files.writeString(run.resolve("progress.csv"), csv);
        LearningCurve.plot(run.resolve("progress.csv"), "labels", new String[] {"eval_success_rate", "loss"}, name, run.resolve("curve.png"));
        return run;
    }

    /** An on-policy log whose success climbs to {@code top}, evaluated every third iteration. */
    private Path onPolicyRun(String name, double top) throws IOException {
        StringBuilder csv = new StringBuilder("iteration,env_steps,mean_return,success_rate,eval_success_rate,eval_return,"
                + "policy_loss,value_loss,entropy,approx_kl,clip_fraction,learning_rate,steps_per_second\n");
        for (int i = 1; i <= 30; i++) {
            double p = top * (1 - Math.exp(-i / 8.0));
            String eval = i % 3 == 0 ? p + "," + (-20 + 15 * p) : ",";
            csv.append(i).append(',').append(i * 2048).append(',').append(-20 + 14 * p).append(',').append(p * 0.9).append(',').append(eval)
                    .append(",0.01,").append(1.0 / i).append(",1,0.01,0.1,0.0003,5000\n");
        }
        Path run = dir.resolve(name);
        Files.createDirectories(run);
        Files.writeString(run.resolve("progress.csv"), csv);
        LearningCurve.plot(run.resolve("progress.csv"), "env_steps", new String[] {"eval_success_rate", "mean_return", "value_loss"}, name,
                run.resolve("curve.png"));
        return run;
    }
}
