package org.teachlearn.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.JointGroupController;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * Simulator speed on one thread: physics steps per second for reach (arm only) and pick and
 * place (contacts), with the scripted expert driving seeded episodes (its own time not counted;
 * its success rate is printed too), and the time and bytes spent inside ode4j versus in our code
 * around it.
 * Usage: SimBench [seconds per task]
 */
public final class SimBench {

    private static final ThreadMXBean MX = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        RobotModel model = UrdfParser.parse(Path.of("urdf/teach_arm.urdf"));
        System.out.printf("%-11s %9s %9s %8s %12s %12s %10s %12s %12s%n", "task", "solver", "episodes", "success", "phys steps/s",
                "ctrl steps/s", "in ode4j", "ode4j B/step", "ours B/step");
        for (String task : new String[] {"reach", "pick_place"}) run(model, task, seconds);
    }

    private static void run(RobotModel model, String task, double seconds) {
        Task t = Task.named(task);
        ArmWorld.Settings physics = t.physics();
        Simulation sim = new Simulation(model, ArmLayout.TEACH_ARM, physics,
                Simulation.Settings.defaults(ControlMode.POSITION), t);
        Expert expert = Expert.forTask(task, sim.chain(), ArmLayout.TEACH_ARM, 0.01, physics.cubeSize());
        Meter meter = new Meter();
        sim.world().setPhysicsMeter(meter);
        int substeps = (int) Math.round(sim.settings().controlPeriod() / physics.dt());
        Result warm = drive(sim, expert, meter, seconds / 2, 0);
        Result r = drive(sim, expert, meter, seconds, warm.episodes + 1);
        double stepsPerSecond = r.controlSteps * substeps / (r.simNanos / 1e9);
        System.out.printf("%-11s %9s %9d %7.1f%% %12.0f %12.0f %9.0f%% %12.0f %12.1f%n", task,
                physics.solverIterations() == 0 ? "exact" : "exact|q" + physics.solverIterations(), r.episodes,
                100.0 * r.successes / Math.max(1, r.episodes), stepsPerSecond,
                r.controlSteps / (r.simNanos / 1e9), 100.0 * meter.nanos / r.simNanos,
                (double) meter.bytes / (r.controlSteps * substeps), (double) (r.simBytes - meter.bytes) / (r.controlSteps * substeps));
    }

    /** Episodes counts finished episodes; successes those that ended in success. */
    private record Result(long controlSteps, long simNanos, long simBytes, int episodes, int successes) { }

    private static Result drive(Simulation sim, Expert expert, Meter meter, double seconds, long firstSeed) {
        double[] q = new double[sim.armDof()], act = new double[sim.armDof() + 1], cmd = new double[sim.armDof()];
        meter.reset();
        long steps = 0, simNanos = 0, simBytes = 0;
        int episodes = 0, successes = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        sim.reset(firstSeed);
        while (System.nanoTime() < end) {
            if (sim.done()) {
                if (sim.success()) successes++;
                sim.reset(firstSeed + ++episodes);
            }
            sim.armPositions(q);
            expert.act(q, sim.gripperOpening(), sim.goal(), act);
            System.arraycopy(act, 0, cmd, 0, cmd.length);
            long b0 = MX.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            sim.step(cmd, act[cmd.length]);
            simNanos += System.nanoTime() - t0;
            simBytes += MX.getCurrentThreadAllocatedBytes() - b0;
            steps++;
        }
        return new Result(steps, simNanos, simBytes, episodes, successes);
    }

    /** Time and bytes inside ode4j's part of every physics step. */
    private static final class Meter implements ArmWorld.PhysicsMeter {
        long nanos, bytes, t0, b0;

        @Override
        public void enter() {
            b0 = MX.getCurrentThreadAllocatedBytes();
            t0 = System.nanoTime();
        }

        @Override
        public void exit() {
            nanos += System.nanoTime() - t0;
            bytes += MX.getCurrentThreadAllocatedBytes() - b0;
        }

        void reset() {
            nanos = 0;
            bytes = 0;
        }
    }
}
