package org.teachlearn.nodes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job runs to the end: demonstrations, cloning, fine-tuning, and serving over ROS with a report. */
class DemoTest {

    @TempDir
    Path out;

    @Test
    void demoTrainsServesAndReports() throws Exception {
        System.setProperty("teachlearn.home", "..");
        Demo.run(out);
        String report = Files.readString(out.resolve("report.txt"));
        assertTrue(report.contains("served over ROS"), report);
        for (String f : new String[] {"bc/curve.png", "ppo/curve.png", "ppo/policy.onnx"}) assertTrue(Files.size(out.resolve(f)) > 0, f);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of 50 episodes reached").matcher(report);
        assertTrue(m.find(), report);
        assertTrue(Integer.parseInt(m.group(1)) >= 45, "the served policy reached in only " + m.group(1) + " of 50 episodes:\n" + report);
    }
}
