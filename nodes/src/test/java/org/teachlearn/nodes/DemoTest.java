package org.teachlearn.nodes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.nodes.loop.TeachLearnLoop;

/**
 * The main job's loop runs to the end, short: drag teaching into bags, the trainer cloning them
 * and serving the model to workers, PPO fine-tuning over ROS, each stage measured through ROS,
 * with a report (text and a self-contained page).
 */
@Tag(TestNodes.REALTIME)
class DemoTest {

    @TempDir
    Path out;

    @Test
    void theTeachAndLearnLoopRunsOverRosAndReports() throws Exception {
        System.setProperty("teachlearn.home", Path.of("..").toAbsolutePath().normalize().toString());
        Demo.run(out, TeachLearnLoop.Plan.SHORT);
        String report = Files.readString(out.resolve("report.txt"));
        try (var bags = Files.list(out.resolve("bags"))) {
            assertTrue(bags.filter(p -> p.toString().endsWith(".bag")).count() >= TeachLearnLoop.Plan.SHORT.demos() - 1, "drag-taught bags");
        }
        for (String f : new String[] {"bc/policy.onnx", "bc/checkpoint.bin", "hg_dagger/policy.onnx", "ppo/curve.png", "ppo/policy.onnx",
            "ppo/models/v000002.onnx"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Matcher m = Pattern.compile("served over ROS: (\\d+) of (\\d+) episodes reached").matcher(report);
        int stages = 0;
        while (m.find()) stages++;
        assertTrue(stages >= 3, "every learning stage (cloning, human-gated DAgger, PPO) measured through ROS:\n" + report);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("served over ROS") && html.contains("<table>"), "report.html has no results table");
        assertTrue(html.contains("data:image/"), "report.html embeds no curve");
        assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "report.html reaches outside itself");
    }
}
