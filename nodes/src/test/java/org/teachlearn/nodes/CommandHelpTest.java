package org.teachlearn.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command and subcommand of ./teach_learn answers --help with its usage and exit code 0, and starts nothing. */
class CommandHelpTest {

    @Test
    void everyCommandAnswersHelpWithExitZero() throws Exception {
        List<String> commands = new ArrayList<>(CommandHelp.commands());
        commands.addAll(List.of("", "train", "train bc", "train ppo", "test", "env", "bench", "bench sim", "run policy_server", "topic echo"));
        Path script = Path.of("../teach_learn").toAbsolutePath().normalize();
        for (String c : commands) {
            List<String> cmd = new ArrayList<>();
            cmd.add(script.toString());
            if (!c.isEmpty()) cmd.addAll(List.of(c.split(" ")));
            cmd.add("--help");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "./teach_learn " + c + " --help: " + out);
            assertTrue(out.startsWith("usage: ./teach_learn"), "./teach_learn " + c + " --help printed: " + out);
        }
    }
}
