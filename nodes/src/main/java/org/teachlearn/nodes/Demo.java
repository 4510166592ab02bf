package org.teachlearn.nodes;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.sim.ExpertNode;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.RosoutAggregator;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * {@code ./teach_learn demo}. What exists so far is the ROS 1 wire and the robot, so the demo runs
 * an embedded master, {@code sim_arm} in lockstep on pick and place, and the scripted expert
 * driving it over TCPROS, and reports each episode as a third node hears it on {@code task/state}.
 * The learning demo (demonstrations, BC, PPO, serving) replaces it as the learning and policy
 * server parts land.
 */
final class Demo {

    private static final int EPISODES = 5;

    private Demo() {
    }

    static void run() throws Exception {
        System.out.println("teach_learn demo: the simulated arm and its scripted expert over ROS (learning comes with its issues)");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            URI uri = master.uri();
            System.out.println("[1/3] embedded master at " + uri);
            try (RosoutAggregator rosout = new RosoutAggregator(uri, null);
                    Node simNode = Node.start(args("sim_arm", uri, "_lockstep:=true", "_task:=pick_place"));
                    Node expertNode = Node.start(args("expert", uri, "_task:=pick_place", "_drive:=true"));
                    Node watcher = Node.start(args("watcher", uri))) {
                SimArm sim = new SimArm(simNode);
                new ExpertNode(expertNode);
                AtomicInteger episodes = new AtomicInteger(), successes = new AtomicInteger(), labels = new AtomicInteger();
                long start = System.nanoTime();
                watcher.subscribe("expert/action", ActionStamped.TYPE, 1000, a -> labels.incrementAndGet());
                watcher.subscribe("task/state", TaskState.TYPE, 1000, s -> {
                    if (!s.done || episodes.get() >= EPISODES) return;
                    int n = episodes.incrementAndGet();
                    if (s.success) successes.incrementAndGet();
                    System.out.printf("      episode %d/%d: %s after %d steps (%.1f s simulated)%n", n, EPISODES,
                            s.success ? "cube placed" : s.truncated ? "out of time" : "failed", s.step, s.step * 0.01);
                });
                System.out.println("[2/3] sim_arm (lockstep, pick and place) and the expert (driving) started; episodes:");
                Thread loop = sim.start();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (episodes.get() < EPISODES && System.nanoTime() < deadline) Thread.sleep(50);
                double seconds = (System.nanoTime() - start) / 1e9;
                simNode.shutdown("demo over");
                loop.join(5000);
                System.out.printf("[3/3] %d of %d episodes placed the cube; %d expert actions over ROS in %.1f s%n",
                        successes.get(), episodes.get(), labels.get(), seconds);
                if (episodes.get() < EPISODES) throw new IllegalStateException("the episodes did not finish within 120 s");
            }
        }
        System.out.println("demo finished. Try: ./teach_learn master & ./teach_learn run sim_arm _task:=pick_place, then rostopic/rosnode.");
    }

    private static NodeArgs args(String name, URI master, String... params) {
        return NodeArgs.parse(name, params).withMaster(master);
    }
}
