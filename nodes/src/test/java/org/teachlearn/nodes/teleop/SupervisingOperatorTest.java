package org.teachlearn.nodes.teleop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.nodes.train.Trainer;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Human-gated DAgger over ROS, short: a policy that holds the arm still (its targets where the joints are) drives
 * the simulated arm in lockstep; vr_operator in {@code ~mode:=supervise} sees the tool make no
 * progress, grips the clutch and brings it to the goal through vr_teleop. Its steps reach
 * /experience as intervention rows labelled with its commands, and the trainer ({@code hg_dagger})
 * aggregates them and publishes a new model.
 */
@Tag(TestNodes.REALTIME)
class SupervisingOperatorTest {

    static final String URDF = Path.of("../urdf/teach_arm.urdf").toAbsolutePath().normalize().toString();

    @TempDir
    Path dir;

    @Test
    void theOperatorTakesOverAStuckPolicyAndItsLabelsTrainANewModel() throws Exception {
        Path model = HandOverTest.heldModel(dir, 3, 0.0);   // every target where the joint is: the arm stays at rest
        List<byte[]> interventionRows = new CopyOnWriteArrayList<>();
        AtomicInteger personRows = new AtomicInteger(), policyRows = new AtomicInteger(), unlabelled = new AtomicInteger();
        AtomicInteger takeOvers = new AtomicInteger(), successes = new AtomicInteger();
        List<Long> versions = new CopyOnWriteArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node watcher = node("watcher", master.uri());
            watcher.subscribe("/experience", Experience.TYPE, 100, m -> {
                int act = (int) m.act_dim;
                for (int k = 0; k < m.intervention.length; k++) {
                    if (m.intervention[k] == 1) {
                        personRows.incrementAndGet();
                        for (int j = 0; j < act; j++) if (!Float.isFinite(m.expert_action[k * act + j])) unlabelled.incrementAndGet();
                    } else {
                        policyRows.incrementAndGet();
                    }
                }
                interventionRows.add(m.intervention.clone());
            });
            watcher.subscribe("teleop/active", Bool.TYPE, 100, m -> {
                if (m.data) takeOvers.incrementAndGet();
            });
            watcher.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                if (m.done && m.success) successes.incrementAndGet();
            });
            watcher.subscribe("/policy/model", ModelUpdate.TYPE, 10, m -> versions.add(m.version & 0xFFFFFFFFL));
            Node trainerNode = node("trainer", master.uri(), "_algorithm:=hg_dagger", "_out:=" + dir.resolve("run"), "_labels_per_update:=100",
                    "_update_epochs:=5", "_control_period:=0.01", "_urdf:=" + URDF);
            Trainer trainer = new Trainer(trainerNode);
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=11", "_control_period:=0.01", "_urdf:=" + URDF);
            // the still policy stays: updates are not installed, so every episode needs the person
            Node server = node("policy_server", master.uri(), "_model:=" + model, "_urdf:=" + URDF, "_experience_batch:=50",
                    "_accept_updates:=false");
            new PolicyServer(server);
            Node teleop = node("vr_teleop", master.uri(), "_idle:=yield", "_urdf:=" + URDF, "_max_stamp_age:=0");
            new VrTeleop(teleop);
            Node operatorNode = node("vr_operator", master.uri(), "_mode:=supervise", "_seed:=5", "_dropout_rate:=0", "_urdf:=" + URDF);
            VrOperator operator = new VrOperator(operatorNode);
            Thread person = new Thread(() -> {
                try {
                    operator.supervise();
                } catch (Exception e) {
                    if (!operatorNode.isShutdown()) throw new IllegalStateException(e);
                }
            }, "vr_operator");
            person.start();
            Thread loop = new SimArm(sim).start();
            try {
                RosPeers.waitUntil(() -> successes.get() >= 2 && versions.stream().anyMatch(v -> v >= 2), 45,
                        "two episodes brought to the goal by the operator and a model trained from its labels (successes " + successes
                                + ", take-overs " + takeOvers + ", intervention rows " + personRows + ", versions " + versions + ")");
            } finally {
                operatorNode.shutdown("test over");
                person.join(5000);
                teleop.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
                trainerNode.shutdown("test over");
                trainer.training().close();
                watcher.shutdown("test over");
            }
        }
        assertTrue(takeOvers.get() >= 2, "the operator took over at least twice: " + takeOvers);
        assertTrue(personRows.get() >= 100, personRows + " intervention rows reached /experience");
        assertTrue(policyRows.get() > 0, "the policy's own rows are there too");
        assertTrue(unlabelled.get() == 0, unlabelled + " values of intervention rows' expert_action are not finite");
    }
}
