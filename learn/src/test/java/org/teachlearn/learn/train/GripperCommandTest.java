package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.learn.serve.PolicySlotTest;

/**
 * {@code --gripper-command}: demonstrations whose gripper is commanded fully open or fully closed
 * (the scripted pick-and-place expert's, a person's button) make a binary gripper under auto, a
 * single half-open label or a gripper never closed does not; the choice is kept in the checkpoint
 * and said in the model's metadata; evaluation sends the nearer end of the range.
 */
class GripperCommandTest extends TrainRuns {

    private static Setup pickPlace() throws Exception {
        Options o = new Options(TrainCommand.defaults("bc"));
        o.set("task", "pick_place");
        o.set("control-period", "0.05");
        return new Setup(o);
    }

    @Test
    void theExpertsOpenOrClosedGripperIsTwoValuedAHalfOpenLabelOrAGripperNeverClosedIsNot() throws Exception {
        Setup setup = pickPlace();
        ArmEnv env = setup.env(true);
        PolicyLayout layout = env.layout();
        ActionMap map = layout.actions();
        int od = layout.observationSize(), ad = layout.actionSize();
        Dataset data = new Dataset(od, map);
        ImitationTraining.demonstrate(env, 2, 5, 0.005, 3, data);
        assertTrue(GripperChoice.twoValued(map, data), "the scripted expert opens and closes, nothing between");

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Options o = setup.options;
        assertEquals(GripperCommand.BINARY, GripperChoice.resolve(o, layout, data, new PrintStream(said, true, StandardCharsets.UTF_8)));
        assertEquals("binary", o.get("gripper-command"), "auto is resolved in the options the checkpoint keeps");
        assertTrue(said.toString(StandardCharsets.UTF_8).startsWith("gripper: binary"), said.toString(StandardCharsets.UTF_8));

        double[] obs = new double[od], measured = new double[ad];
        measured[ad - 1] = map.high()[ad - 1] - 2e-6;   // a recording's samples before the first press: the measured opening
        data.add(obs, 0, measured, 0);
        assertTrue(GripperChoice.twoValued(map, data), "an opening measured within 1 % of open counts as open");
        double[] half = new double[ad];
        half[ad - 1] = 0.5 * (map.low()[ad - 1] + map.high()[ad - 1]);
        data.add(obs, 0, half, 0);
        assertFalse(GripperChoice.twoValued(map, data), "one half-open label: continuous");
        o.set("gripper-command", "auto");
        assertEquals(GripperCommand.CONTINUOUS, GripperChoice.resolve(o, layout, data, new PrintStream(new ByteArrayOutputStream())));

        Dataset open = new Dataset(od, map);
        double[] opened = new double[ad];
        opened[ad - 1] = map.high()[ad - 1];
        for (int i = 0; i < 10; i++) open.add(obs, 0, opened, 0);
        assertFalse(GripperChoice.twoValued(map, open), "a gripper held open throughout (reach) has nothing to decide");

        o.set("gripper-command", "sometimes");
        assertThrows(IllegalArgumentException.class, () -> GripperChoice.resolve(o, layout, open, new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void evaluationSendsTheNearerEndAfterWhateverTheControllerDid() throws Exception {
        PolicyLayout layout = pickPlace().layout();
        int g = layout.actionSize() - 1;
        double closed = layout.actions().low()[g], open = layout.actions().high()[g], mid = 0.5 * (closed + open);
        double[] out = {mid - 1e-4, mid, Double.NaN};
        int[] tick = {0};
        Evaluation.Controller raw = (obs, command) -> command[g] = out[tick[0]++];
        Evaluation.Controller sent = Evaluation.sending(raw, layout, GripperCommand.BINARY);
        double[] command = new double[layout.actionSize()];
        sent.act(null, command);
        assertEquals(closed, command[g], 0, "just below half way: closed");
        sent.act(null, command);
        assertEquals(open, command[g], 0, "half way: open");
        sent.act(null, command);
        assertTrue(Double.isNaN(command[g]), "a NaN stays NaN for the finite check to refuse");
        assertSame(raw, Evaluation.sending(raw, layout, GripperCommand.CONTINUOUS), "continuous: the controller as it is");
    }

    @Test
    void aRunKeepsItsChoiceAndItsModelSaysIt() throws Exception {
        PolicySlotTest.djlCreatesTheEnvironment();
        String[] recipe = {"--task", "pick_place", "--control-period", "0.05", "--demos", "2", "--demo-noise", "0.005", "--epochs", "2",
            "--eval-episodes", "1"};
        Path auto = train("bc", recipe);
        assertEquals("binary", Checkpoint.settings(auto.resolve("checkpoint.bin")).get("gripper-command"));
        try (OnnxPolicy m = new OnnxPolicy(Files.readAllBytes(auto.resolve("policy.onnx")), null)) {
            assertEquals(GripperCommand.BINARY, m.info().gripperCommand());
        }
        String[] continuous = java.util.Arrays.copyOf(recipe, recipe.length + 2);
        continuous[recipe.length] = "--gripper-command";
        continuous[recipe.length + 1] = "continuous";
        Path asked = train("bc", continuous);
        try (OnnxPolicy m = new OnnxPolicy(Files.readAllBytes(asked.resolve("policy.onnx")), null)) {
            assertEquals(GripperCommand.CONTINUOUS, m.info().gripperCommand());
        }
        Path reach = train("bc", "--demos", "2", "--epochs", "2", "--eval-episodes", "1");
        assertEquals("continuous", Checkpoint.settings(reach.resolve("checkpoint.bin")).get("gripper-command"), "reach's gripper never closes");
    }

    /**
     * A drag-taught recording as drag_teach leaves it: no gripper command until the person presses
     * the button, the samples before it labelled with the measured opening (a hair under open),
     * then the command to close. Its labels are two-valued; a recording whose only gripper
     * information is an opening measured between is not.
     */
    @Test
    void aRecordingThatCommandsTheGripperOnlyAtThePressIsTwoValued() throws Exception {
        PolicyLayout layout = org.teachlearn.learn.LearnFixtures.reachLayout();
        int od = layout.observationSize();
        for (double measured : new double[] {0.04 - 2e-6, 0.03}) {
            org.teachlearn.learn.demo.Demonstration d = new org.teachlearn.learn.demo.Demonstration("guided", layout);
            d.setInfo(new org.teachlearn.learn.demo.Demonstration.Info("reach", org.teachlearn.learn.demo.Demonstration.DRAG_TEACH, true, ""));
            int arm = layout.armJoints().length;
            double[] joints = new double[d.joints().width()], state = new double[d.states().width()];
            for (int k = 0; k <= 100; k++) {
                long t = 1_000_000_000L + k * 10_000_000L;
                java.util.Arrays.fill(joints, 0);
                joints[0] = Math.min(1, 0.01 * k);
                joints[arm] = measured;
                d.joints().add(t, joints, 0);
                state[org.teachlearn.learn.demo.Demonstration.EPISODE] = 1;
                state[org.teachlearn.learn.demo.Demonstration.DONE] = k == 100 ? 1 : 0;
                state[org.teachlearn.learn.demo.Demonstration.SUCCESS] = k == 100 ? 1 : 0;
                state[org.teachlearn.learn.demo.Demonstration.GOAL] = 1;
                d.states().add(t, state, 0);
            }
            if (measured > 0.035) d.gripperCommands().add(1_000_000_000L + 50 * 10_000_000L, new double[] {0.0}, 0);
            Dataset data = new Dataset(od, layout.actions());
            new org.teachlearn.learn.demo.DemoSampler(layout, 0.01).sample(d, org.teachlearn.learn.demo.DemoSampler.Labels.MOTION, false, data);
            assertTrue(data.size() > 50, data.size() + " samples");
            assertEquals(measured > 0.035, GripperChoice.twoValued(layout.actions(), data), "measured " + measured);
        }
    }
}
