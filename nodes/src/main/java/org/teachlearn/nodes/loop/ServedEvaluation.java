package org.teachlearn.nodes.loop;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * A model's success measured through ROS, the same way for every stage of the demo: sim_arm in
 * lockstep on the evaluation seeds and a policy_server taking the mean action, in namespace
 * {@code /eval}, episodes counted from {@code task/state}.
 */
final class ServedEvaluation {

    /** Seeds of the evaluation episodes: those of {@code train}'s evaluations. */
    static final int SEED = 900_000;

    record Result(int successes, int episodes, long steps, double seconds) {
        double rate() {
            return episodes == 0 ? Double.NaN : (double) successes / episodes;
        }
    }

    private ServedEvaluation() {
    }

    static Result run(URI master, Path model, int episodes, double controlPeriod) throws Exception {
        String ns = "__ns:=/eval";
        try (Node simNode = start("sim_arm", master, ns, "/clock:=clock", "_lockstep:=true", "_task:=reach", "_seed:=" + SEED,
                "_control_period:=" + controlPeriod);
                Node serverNode = start("policy_server", master, ns, "/clock:=clock", "_model:=" + model, "_experience:=false",
                        "_accept_updates:=false");
                Node watcher = start("eval_watch", master, ns)) {
            SimArm sim = new SimArm(simNode);
            new PolicyServer(serverNode);
            AtomicInteger ended = new AtomicInteger(), successes = new AtomicInteger();
            AtomicLong steps = new AtomicLong();
            watcher.subscribe("task/state", TaskState.TYPE, 1000, s -> {
                steps.incrementAndGet();
                if (!s.done || ended.get() >= episodes) return;
                ended.incrementAndGet();
                if (s.success) successes.incrementAndGet();
            });
            long start = System.nanoTime();
            Thread loop = sim.start();
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (ended.get() < episodes && System.nanoTime() < deadline) Thread.sleep(20);
            double seconds = (System.nanoTime() - start) / 1e9;
            simNode.shutdown("evaluation over");
            loop.join(5000);
            if (ended.get() < episodes) throw new IllegalStateException("the evaluation's " + episodes + " episodes did not finish within 180 s");
            return new Result(successes.get(), episodes, steps.get(), seconds);
        }
    }

    private static Node start(String name, URI master, String... params) throws Exception {
        return Node.start(NodeArgs.parse(name, params).withMaster(master));
    }
}
