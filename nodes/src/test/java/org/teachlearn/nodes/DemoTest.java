package org.teachlearn.nodes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job runs to the end: demonstrations, cloning, fine-tuning, and serving over ROS with a report (text and a self-contained page). */
class DemoTest {

    @TempDir
    Path out;

    @Test
    void demoTrainsServesAndReports() throws Exception {
        System.setProperty("teachlearn.home", "..");
        Demo.run(out);
        String report = Files.readString(out.resolve("report.txt"));
        assertTrue(report.contains("served over ROS"), report);
        for (String f : new String[] {"bc/curve.png", "bc/curve.svg", "ppo/curve.png", "ppo/curve.svg", "ppo/policy.onnx"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("served over ROS") && html.contains("<table>"), "report.html has no results table");
        assertTrue(html.split("src=\"data:image/svg\\+xml;base64,", -1).length - 1 >= 2, "report.html embeds no curves of bc and ppo");
        assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "report.html reaches outside itself");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of 50 episodes reached").matcher(report);
        assertTrue(m.find(), report);
        assertTrue(Integer.parseInt(m.group(1)) >= 45, "the served policy reached in only " + m.group(1) + " of 50 episodes:\n" + report);
    }
}
