package org.teachlearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * Naive lockstep clients against sim_arm, as strangers write them: answer every joint_states at
 * once with an arm command, without waiting for any connection (nodes/src/test/peers/naive_lockstep.py
 * and .cpp). For each client language and each arm interface (std_msgs/Float64MultiArray to a
 * JointGroupPositionController, single-point trajectory_msgs/JointTrajectory to a
 * JointTrajectoryController): deadlocks in STARTS fresh starts of STEPS steps each (a start that
 * has not answered its steps within its time), then steps per second over one run of RATE_STEPS.
 * sim_arm runs in this JVM on an embedded master (reach, seeded), one master per interface.
 *
 * Usage: LockstepClientsBench [STARTS 20] [STEPS 300] [RATE_STEPS 10000]   (from within the repository; RATE_STEPS 0:
 * the rate over the starts, startup included)
 */
public final class LockstepClientsBench {

    /** One client and interface: how many starts deadlocked, and the steps per second of the long run. */
    public record Result(String client, String iface, int starts, int deadlocks, int rateSteps, double stepsPerSecond) {
        @Override
        public String toString() {
            return String.format("%-7s %-24s %3d of %3d starts deadlocked   %8.0f steps/s over %,d steps", client, iface, deadlocks, starts,
                    stepsPerSecond, rateSteps);
        }
    }

    static final Pattern ANSWERED = Pattern.compile("answered (\\d+) states in ([\\d.]+) s");
    static final String[][] INTERFACES = {
        {"Float64MultiArray", "effort_controllers/JointGroupPositionController", "float64"},
        {"JointTrajectory", "position_controllers/JointTrajectoryController", "trajectory"},
    };

    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int rateSteps = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        System.out.printf("Naive lockstep clients against sim_arm (reach, lockstep, 0.01 s per step): %d starts of %d steps, then %,d steps%n",
                starts, steps, rateSteps);
        for (Result r : measure(root(), starts, steps, rateSteps, 3000, 11)) System.out.println(r);
        System.exit(0);
    }

    /**
     * Runs every client on every interface; {@code seed} is sim_arm's first episode. Each sim_arm is
     * first warmed up by the roscpp client for {@code warmSteps} (uncounted), so no interface pays
     * for the JIT compiling the simulator.
     */
    public static List<Result> measure(Path root, int starts, int steps, int rateSteps, int warmSteps, long seed) throws Exception {
        Path peers = root.resolve("nodes/src/test/peers");
        String cpp = buildCpp(root, peers);
        List<Result> results = new ArrayList<>();
        for (String[] iface : INTERFACES) {
            try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
                Node sim = Node.start(NodeArgs.parse("sim_arm", new String[] {"__master:=" + master.uri(), "_lockstep:=true",
                    "_task:=reach", "_seed:=" + seed, "_urdf:=" + root.resolve("urdf/teach_arm.urdf")}));
                sim.params().set("arm_controller/type", iface[1]);
                Thread loop = new SimArm(sim).start();
                try {
                    if (warmSteps > 0) run(master, new String[] {cpp}, warmSteps, iface[2]);
                    results.add(client(master, "rospy", iface, starts, steps, rateSteps,
                            "/usr/bin/python3", peers.resolve("naive_lockstep.py").toString()));
                    results.add(client(master, "roscpp", iface, starts, steps, rateSteps, cpp));
                } finally {
                    sim.shutdown("bench over");
                    loop.join(5000);
                }
            }
        }
        return results;
    }

    private static Result client(Master master, String name, String[] iface, int starts, int steps, int rateSteps, String... program)
            throws Exception {
        int deadlocks = 0;
        double answered = 0, seconds = 0;
        for (int s = 0; s < starts; s++) {
            double[] run = run(master, program, steps, iface[2]);
            if (run[0] < steps) deadlocks++;
            answered += run[0];
            seconds += run[1];
        }
        if (rateSteps == 0) return new Result(name, iface[0], starts, deadlocks, starts * steps, answered / seconds);
        double[] rate = run(master, program, rateSteps, iface[2]);
        return new Result(name, iface[0], starts, deadlocks, rateSteps, rate[0] < rateSteps ? Double.NaN : rate[0] / rate[1]);
    }

    /** One start of a client: {states answered, seconds}. It gives up after 10 s plus 10 ms a step. */
    private static double[] run(Master master, String[] program, int steps, String mode) throws Exception {
        int timeout = 10 + steps / 100;
        List<String> cmd = new ArrayList<>(List.of(program));
        cmd.addAll(List.of(Integer.toString(steps), Integer.toString(timeout), mode));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ROS_MASTER_URI", master.uri().toString());
        pb.environment().put("ROS_IP", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeout + 30, TimeUnit.SECONDS)) p.destroyForcibly();
        Matcher m = ANSWERED.matcher(out);
        if (!m.find()) throw new IllegalStateException(String.join(" ", cmd) + " printed no count:\n" + out);
        return new double[] {Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** Builds naive_lockstep.cpp with roscpp into nodes/target/peers when the program is older than its source. */
    private static String buildCpp(Path root, Path peers) throws IOException, InterruptedException {
        Path source = peers.resolve("naive_lockstep.cpp"), bin = root.resolve("nodes/target/peers/naive_lockstep");
        if (Files.exists(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(source)) > 0) return bin.toString();
        Files.createDirectories(bin.getParent());
        Process p = new ProcessBuilder("bash", "-c", "g++ -O2 -o '" + bin + "' '" + source + "' "
                + "$(pkg-config --cflags --libs roscpp std_msgs sensor_msgs trajectory_msgs)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("building the roscpp client failed (is libroscpp-dev installed?):\n" + out);
        return bin.toString();
    }

    /** The repository: the working directory or the nearest one above it with nodes/src/test/peers. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("nodes/src/test/peers"))) return p;
        }
        throw new IllegalStateException("run from the teach_learn repository (nodes/src/test/peers not found)");
    }
}
