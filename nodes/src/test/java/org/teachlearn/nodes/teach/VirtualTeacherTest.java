package org.teachlearn.nodes.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;

/**
 * The simulated person on sim_arm with nothing else commanding the arm (an effort-controlled arm
 * holding itself in gravity compensation and damping): it brings the hand to each goal by pushing
 * alone, never harder than a person, and never commands the arm.
 */
@Tag(TestNodes.REALTIME)
class VirtualTeacherTest {

    @Test
    void guidesTheHandToTheGoalOnlyByPushing() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), "_task:=reach", "_seed:=0", "_urdf:=../urdf/teach_arm.urdf");
            simNode.params().set("/arm_controller/type", "effort_controllers/JointGroupEffortController");
            Thread loop = new SimArm(simNode).start();
            Node watcher = node("watcher", master.uri());
            AtomicReference<Double> peak = new AtomicReference<>(0.0);
            AtomicInteger pushes = new AtomicInteger(), commands = new AtomicInteger();
            watcher.subscribe("sim/wrench", WrenchStamped.TYPE, 1000, m -> {
                pushes.incrementAndGet();
                var f = m.wrench.force;
                peak.accumulateAndGet(Math.sqrt(f.x * f.x + f.y * f.y + f.z * f.z), Math::max);
                assertEquals("hand", m.header.frame_id);
            });
            watcher.subscribe("arm_controller/command", Float64MultiArray.TYPE, 10, m -> commands.incrementAndGet());
            Node teacherNode = node("virtual_teacher", master.uri(), "_demos:=4", "_seed:=20", "_record:=false", "_tare:=false",
                    "_urdf:=../urdf/teach_arm.urdf");
            try {
                int reached = new VirtualTeacher(teacherNode).teach();
                assertTrue(reached >= 3, "the hand reached the goal in " + reached + " of 4 demonstrations");
                assertTrue(pushes.get() > 100, "pushed " + pushes.get() + " times");
                assertTrue(peak.get() <= 30 + 1e-9, "peak push " + peak.get() + " N");
                assertEquals(0, commands.get(), "the person never commands the arm");
            } finally {
                teacherNode.shutdown("test over");
                watcher.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }
}
