package org.teachlearn.robot.sim;

import java.util.SplittableRandom;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.control.HoldCommand;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * One simulated arm doing one task: the environment that sim_arm serves over ROS and that the
 * trainer steps in process. {@link #reset} starts a seeded episode; {@link #step} applies a
 * command, integrates one control period and judges the new state. Same seed and commands, same
 * trajectory. Built once; a step allocates nothing of ours.
 */
public final class Simulation {

    /** Control settings: seconds per control step, the arm's controller mode and its gains. */
    public record Settings(double controlPeriod, ControlMode armMode, JointGroupController.Gains[] armGains,
            JointGroupController.Gains gripperGains, double startNoise, boolean gravityCompensation) {

        /**
         * teach_arm with the PID gains of {@code urdf/controllers.yaml}, at 100 Hz, with gravity
         * compensated inside position control as a real arm's joint controllers do (plain
         * gazebo_ros_control does not: turn it off to match a Gazebo session).
         */
        public static Settings defaults(ControlMode mode) {
            JointGroupController.Gains big = new JointGroupController.Gains(600, 1000, 30, 8);
            JointGroupController.Gains wrist = new JointGroupController.Gains(250, 300, 10, 2);
            return new Settings(0.01, mode, new JointGroupController.Gains[] {big, big, big, big, wrist,
                new JointGroupController.Gains(150, 200, 10, 2), new JointGroupController.Gains(50, 100, 5, 1)},
                    new JointGroupController.Gains(1000, 0, 10, 0), 0.05, true);
        }

        /**
         * Defaults for the arm of {@code chain}: {@link #defaults}' tuned gains for the shipped
         * teach_arm (its joints arm_joint1…7), else gains from each joint's effort limit, full
         * effort at {@link #FULL_EFFORT_ERROR} rad of error: p = effort / that, i = 1.5 p, d = p / 20,
         * i_clamp = effort / 10 (what teach_arm's hand tuning comes to for its big joints).
         */
        public static Settings forArm(ControlMode mode, KinematicChain chain) {
            Settings tuned = defaults(mode);
            String[] names = chain.jointNames();
            boolean teachArm = names.length == tuned.armGains().length;
            for (int i = 0; teachArm && i < names.length; i++) teachArm = names[i].equals("arm_joint" + (i + 1));
            if (teachArm) return tuned;
            JointGroupController.Gains[] gains = new JointGroupController.Gains[names.length];
            for (int i = 0; i < names.length; i++) gains[i] = fromEffort(chain.joint(i).effort());
            return tuned.withArm(mode, gains);
        }

        /** Error (rad or m) at which {@link #forArm}'s gains reach the joint's effort limit. */
        public static final double FULL_EFFORT_ERROR = 0.15;

        private static JointGroupController.Gains fromEffort(double effort) {
            double p = effort / FULL_EFFORT_ERROR;
            return new JointGroupController.Gains(p, 1.5 * p, p / 20, effort / 10);
        }

        public Settings withControlPeriod(double controlPeriod) {
            return new Settings(controlPeriod, armMode, armGains, gripperGains, startNoise, gravityCompensation);
        }

        /** The arm's controller mode and one set of gains per arm joint, in chain order. */
        public Settings withArm(ControlMode armMode, JointGroupController.Gains[] armGains) {
            return new Settings(controlPeriod, armMode, armGains, gripperGains, startNoise, gravityCompensation);
        }

        public Settings withGripperGains(JointGroupController.Gains gripperGains) {
            return new Settings(controlPeriod, armMode, armGains, gripperGains, startNoise, gravityCompensation);
        }

        /** Largest random offset (rad) from the rest pose of every arm joint at reset. */
        public Settings withStartNoise(double startNoise) {
            return new Settings(controlPeriod, armMode, armGains, gripperGains, startNoise, gravityCompensation);
        }

        public Settings withGravityCompensation(boolean gravityCompensation) {
            return new Settings(controlPeriod, armMode, armGains, gripperGains, startNoise, gravityCompensation);
        }
    }

    private final ArmLayout layout;
    private final Settings settings;
    private final ArmWorld world;
    private final Task task;
    private final KinematicChain chain;
    private final Dynamics dynamics;
    private final double[] gravity;
    private final JointGroupController arm;
    private final JointGroupController gripper;
    private final int[] armJoints;
    private final int gripperJoint;
    private final int substeps;
    private final double[] q;
    private final double[] armQ;
    private final double[] armQd;
    private final double[] holdEffort;
    private final HoldCommand holdCommand;
    private boolean effortHold;   // an effort-controlled arm holds: gravity and damping recomputed every physics step
    private final double[] gripperTarget = new double[1];
    private final Task.Outcome outcome = new Task.Outcome();
    private final double[] goal;

    private SplittableRandom rng = new SplittableRandom(0);
    private int episode = -1;
    private int step;
    private boolean truncated;

    public Simulation(RobotModel model, ArmLayout layout, ArmWorld.Settings physics, Settings settings, Task task) {
        this.layout = layout;
        this.settings = settings;
        this.task = task;
        world = new ArmWorld(model, physics, layout.sensorLink(), layout.contactLinks());
        chain = layout.chain(model);
        String[] names = chain.jointNames();
        armJoints = new int[names.length];
        for (int i = 0; i < names.length; i++) armJoints[i] = world.jointIndex(names[i]);
        dynamics = new Dynamics(model, chain);
        gravity = new double[chain.dof()];
        armQd = new double[chain.dof()];
        holdEffort = new double[chain.dof()];
        double[] damping = new double[chain.dof()];
        java.util.Arrays.fill(damping, HOLD_DAMPING);
        holdCommand = new HoldCommand(settings.armMode(), dynamics, damping);
        arm = new JointGroupController(world, names, settings.armMode(), settings.armGains());
        if (layout.gripperJoint() != null) {
            gripperJoint = world.jointIndex(layout.gripperJoint());
            gripper = new JointGroupController(world, new String[] {layout.gripperJoint()}, ControlMode.POSITION,
                    new JointGroupController.Gains[] {settings.gripperGains()});
        } else {
            gripperJoint = -1;
            gripper = null;
        }
        substeps = (int) Math.round(settings.controlPeriod() / physics.dt());
        if (substeps < 1 || Math.abs(substeps * physics.dt() - settings.controlPeriod()) > 1e-9) {
            throw new IllegalArgumentException("control period " + settings.controlPeriod() + " s is not a whole number of physics steps of "
                    + physics.dt() + " s");
        }
        q = new double[world.jointCount()];
        armQ = new double[names.length];
        goal = new double[task.goalSize()];
    }

    /** Starts a new episode from {@code seed}: the arm near its rest pose, objects and goal drawn by the task. */
    public int reset(long seed) {
        rng = new SplittableRandom(seed);
        ArmWorld.seedSolver(seed);
        world.seedSensorNoise(seed);
        double[] rest = layout.restPose();
        for (int i = 0; i < armJoints.length; i++) {
            q[armJoints[i]] = rest[i] + settings.startNoise() * (2 * rng.nextDouble() - 1);
        }
        if (gripperJoint >= 0) {
            double open = layout.gripper().toJoint(layout.gripperOpen());
            q[gripperJoint] = open;
            for (int j = 0; j < q.length; j++) {
                var m = world.joint(j).mimic();
                if (m != null && m.joint().equals(layout.gripperJoint())) q[j] = m.multiplier() * open + m.offset();
            }
        }
        world.clearExternalWrenches();
        world.setJointPositions(q);
        task.reset(this, rng);
        hold();   // until the first command: an effort-controlled arm must not fall
        if (gripper != null) {
            gripperTarget[0] = layout.gripper().toJoint(layout.gripperOpen());
            gripper.command(gripperTarget);
        }
        episode++;
        step = 0;
        truncated = false;
        outcome.clear();
        task.goal(this, goal);
        return episode;
    }

    /**
     * Applies the arm command (one value per arm joint in the controller's mode) and the gripper
     * opening in metres per finger (NaN keeps the last), integrates one control period, and judges the new state.
     * Values must be finite and of the right length: callers validate what comes off the wire.
     */
    public void step(double[] armCommand, double gripperCommand) {
        if (episode < 0) throw new IllegalStateException("reset the simulation before stepping it");
        effortHold = false;
        arm.command(armCommand);
        keep(gripperCommand);
    }

    /**
     * One control period without a new arm command: the arm keeps its targets, or its hold (see
     * {@link #hold}), and the gripper takes {@code gripperCommand} (NaN keeps the last).
     */
    public void keep(double gripperCommand) {
        if (episode < 0) throw new IllegalStateException("reset the simulation before stepping it");
        if (gripper != null && !Double.isNaN(gripperCommand)) {
            gripperTarget[0] = layout.gripper().toJoint(gripperCommand);
            gripper.command(gripperTarget);
        }
        advance();
    }

    /** Integrates one control period with the controllers' current targets (what a held arm does). */
    public void advance() {
        double dt = world.settings().dt();
        world.restartSensor();
        for (int s = 0; s < substeps; s++) {
            world.clearEfforts();
            if (effortHold) {
                armPositions(armQ);
                armVelocities(armQd);
                holdCommand.fill(armQ, armQd, holdEffort);
                arm.command(holdEffort);
            }
            // position control feeds gravity forward; velocity and effort controllers take none
            boolean feedForward = settings.gravityCompensation() && settings.armMode() == ControlMode.POSITION;
            if (feedForward) {
                armPositions(armQ);
                dynamics.gravity(armQ, gravity);
            }
            arm.update(dt, feedForward ? gravity : null);
            if (gripper != null) gripper.update(dt, null);
            world.step();
        }
        step++;
        task.judge(this, outcome);
        task.goal(this, goal);
        truncated = !outcome.terminal && step * settings.controlPeriod() >= task.timeLimit() - 1e-9;
    }

    /** Speed (rad/s or m/s) beyond which a joint's motion is numerical divergence, not motion: real arms stay under ~10. */
    public static final double DIVERGED_SPEED = 1000;

    /**
     * The first joint whose position or velocity is not finite or moves faster than {@link #DIVERGED_SPEED},
     * or −1: integration has diverged, and the episode must be reset before anyone reads the state.
     */
    public int divergedJoint() {
        int n = world.jointCount();
        for (int i = 0; i < n; i++) {
            double v = world.velocity(i);
            if (!Double.isFinite(world.position(i)) || !Double.isFinite(v) || Math.abs(v) > DIVERGED_SPEED) return i;
        }
        return -1;
    }

    /**
     * N m s/rad of viscous damping an effort-controlled arm holds with: it brakes a moving arm in a
     * fraction of a second, and stays stable applied explicitly at a 2 ms step on the lightest link.
     */
    static final double HOLD_DAMPING = 2.0;

    /**
     * Holds the arm where it is (what a missing or bad command leads to), as {@link HoldCommand}
     * defines it: position targets at the measured positions, zero velocities, or, for efforts,
     * gravity plus damping, recomputed every physics step until the next command.
     */
    public void hold() {
        if (settings.armMode() == ControlMode.EFFORT) {
            effortHold = true;
        } else {
            arm.hold();
        }
    }

    // --- the state ---

    public int episode() {
        return episode;
    }

    public int step() {
        return step;
    }

    /** Reward received on arriving in this state (0 at step 0). */
    public double reward() {
        return outcome.reward;
    }

    public boolean done() {
        return outcome.terminal || truncated;
    }

    public boolean success() {
        return outcome.success;
    }

    public boolean truncated() {
        return truncated;
    }

    /** The task goal of this state (do not modify). */
    public double[] goal() {
        return goal;
    }

    /** Positions of the arm joints, in chain order, into {@code out}. */
    public void armPositions(double[] out) {
        for (int i = 0; i < armJoints.length; i++) out[i] = world.position(armJoints[i]);
    }

    public void armVelocities(double[] out) {
        for (int i = 0; i < armJoints.length; i++) out[i] = world.velocity(armJoints[i]);
    }

    /** Each finger's opening in metres (from the gripper's driven joint), or 0 without a gripper. */
    public double gripperOpening() {
        return gripperJoint >= 0 ? layout.gripper().toWidth(world.position(gripperJoint)) : 0;
    }

    /** The tool centre point's pose in the base frame (row-major 4x4), from the joint positions. */
    public void tcpPose(double[] out) {
        armPositions(armQ);
        chain.forward(armQ, out);
    }

    public ArmWorld world() {
        return world;
    }

    /** The task the simulation judges by. */
    public Task task() {
        return task;
    }

    public KinematicChain chain() {
        return chain;
    }

    public ArmLayout layout() {
        return layout;
    }

    public JointGroupController arm() {
        return arm;
    }

    public Settings settings() {
        return settings;
    }

    public int armDof() {
        return armJoints.length;
    }
}
