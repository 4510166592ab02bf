package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/** sim_arm's ~lockstep_rate: a client answering every state at once gets no more steps a second than the rate. */
class SimArmPacingTest {

    private static final String[] ARGS = {"_task:=reach", "_lockstep:=true", "_control_period:=0.05", "_urdf:=../urdf/teach_arm.urdf"};

    @Test
    void aLockstepRateBoundsTheStepsOfAClientThatAnswersAtOnce() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            int unpaced = stepsInTwoSeconds(master, "sim_free", "_lockstep_rate:=0");
            int paced = stepsInTwoSeconds(master, "sim_paced", "_lockstep_rate:=25");
            assertTrue(paced >= 40 && paced <= 52, "25 Hz for 2 s: " + paced + " steps");
            assertTrue(unpaced > 2 * paced, "unpaced, the same client gets " + unpaced + " steps in 2 s, paced " + paced);
        }
    }

    @Test
    void aRateThatIsNotOneIsRefusedSayingWhatToGive() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_bad_rate", master.uri(), with("_lockstep_rate:=-5"));
            try {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimArm(sim));
                assertTrue(e.getMessage().contains("~lockstep_rate must be 0 (as fast as commands answer) or a rate in Hz, not -5.0"), e.getMessage());
            } finally {
                sim.shutdown("test over");
            }
        }
    }

    /** States a client answering each joint_states with its positions gets from a lockstep sim_arm in 2 s. */
    private static int stepsInTwoSeconds(Master master, String name, String rate) throws Exception {
        Node sim = node(name, master.uri(), with(rate, "__ns:=/" + name));
        Thread loop = new SimArm(sim).start();
        Node client = node(name + "_client", master.uri(), "__ns:=/" + name);
        try {
            Publisher<Float64MultiArray> command = client.advertise("arm_controller/command", Float64MultiArray.TYPE);
            AtomicInteger states = new AtomicInteger();
            Float64MultiArray answer = new Float64MultiArray();
            answer.data = new double[7];
            client.subscribe("joint_states", JointState.TYPE, 10, s -> {
                System.arraycopy(s.position, 0, answer.data, 0, 7);
                states.incrementAndGet();
                command.publish(answer);
            });
            RosPeers.waitUntil(() -> states.get() > 5, 30, "lockstep steps answered by the client");
            int from = states.get();
            Thread.sleep(2000);
            return states.get() - from;
        } finally {
            client.shutdown("test over");
            sim.shutdown("test over");
            loop.join(5000);
        }
    }

    private static String[] with(String... more) {
        String[] a = java.util.Arrays.copyOf(ARGS, ARGS.length + more.length);
        System.arraycopy(more, 0, a, ARGS.length, more.length);
        return a;
    }
}
