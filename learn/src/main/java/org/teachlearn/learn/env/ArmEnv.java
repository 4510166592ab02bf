package org.teachlearn.learn.env;

import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.JointGroupController;
import org.teachlearn.robot.sim.PushSchedule;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * One built-in simulator instance as a learning environment: observations through the shared
 * {@link PolicyLayout}, commands in the controller's units, the task's reward, optional pushes,
 * and the scripted expert's label for the current state. A step allocates nothing.
 */
public final class ArmEnv {

    private final Simulation sim;
    private PolicyLayout layout;
    private final Expert expert;
    private final PushSchedule pushes;
    private final double[] q, dq, arm, expertAction;
    private final double controlPeriod;
    private final Task task;
    private CommandLimits served;    // null: commands reach the simulator as they are
    private double[] maxStep, lastSent;
    private boolean haveSent;
    private int horizon;   // > 0: episodes run this many steps, success or not (fixedHorizon)

    /** The arm {@code armLayout} of {@code model} doing {@code task}, position-controlled with {@link Simulation.Settings#forArm}'s gains. */
    public ArmEnv(RobotModel model, ArmLayout armLayout, String task, double controlPeriod, Pushes pushes) {
        Task t = Task.named(task);
        this.task = t;
        ArmWorld.Settings physics = t.physics();
        Simulation.Settings settings = Simulation.Settings.forArm(ControlMode.POSITION, armLayout.chain(model)).withControlPeriod(controlPeriod);
        sim = new Simulation(model, armLayout, physics, settings, t);
        layout = PolicyLayout.of(model, armLayout, task, t.goalSize());
        expert = Expert.forTask(task, sim.chain(), armLayout, controlPeriod, physics.cubeSize());
        this.pushes = new PushSchedule(pushes, t.timeLimit(), controlPeriod);
        int dof = sim.armDof();
        q = new double[dof];
        dq = new double[dof];
        arm = new double[dof];
        expertAction = new double[dof + 1];
        this.controlPeriod = controlPeriod;
    }

    /** Observations carry {@code feature}'s hand − goal after the contract's entries ({@link PolicyLayout#withHand}). */
    public ArmEnv handFeature(org.teachlearn.learn.policy.HandFeature feature) {
        layout = layout.withHand(feature);
        return this;
    }

    /**
     * Commands pass the pipeline policy_server puts between a model and the arm (docs/nodes.md
     * §8): clamped to the URDF limits and moved at most URDF velocity × {@code velocityScale} ×
     * control period per step from the last command (from the measured pose after a reset). A
     * policy then learns on the arm it is served on.
     */
    public ArmEnv servedLimits(double velocityScale) {
        java.util.List<Joint> joints = new java.util.ArrayList<>();
        for (int i = 0; i < arm.length; i++) joints.add(sim.chain().joint(i));
        served = new CommandLimits(joints, ControlMode.POSITION);
        maxStep = new double[arm.length];
        for (int i = 0; i < arm.length; i++) maxStep[i] = joints.get(i).velocity() * velocityScale * controlPeriod;
        lastSent = new double[arm.length];
        return this;
    }

    /**
     * Every episode runs the task's whole time limit: reaching the goal does not end it, and
     * {@link #success} is the task's judgement at the last step (still at the goal). A failure
     * still ends it (a cube knocked off the table would otherwise fall for the rest of the
     * episode, into the observations). For imitation from a learned reward (GAIL): an episode that ends when
     * the task succeeds tells the learner the task's outcome through its length alone, which is
     * the survival or termination bias of Kostrikov et al. 2019.
     */
    public ArmEnv fixedHorizon() {
        horizon = (int) Math.round(task.timeLimit() / controlPeriod);
        return this;
    }

    public void reset(long seed) {
        haveSent = false;
        sim.reset(seed);
        pushes.reset(seed);
    }

    /** The observation of the current state into {@code out} from {@code offset}. */
    public void observe(double[] out, int offset) {
        sim.armPositions(q);
        sim.armVelocities(dq);
        layout.observe(q, dq, sim.gripperOpening(), sim.goal(), out, offset);
    }

    /** Applies a command (arm targets, then gripper) from {@code offset} and advances one control period. */
    public void step(double[] command, int offset) {
        pushes.apply(sim);
        System.arraycopy(command, offset, arm, 0, arm.length);
        if (served != null) {
            served.clamp(arm);
            if (!haveSent) sim.armPositions(lastSent);
            served.limitStep(arm, lastSent, maxStep);
            served.clamp(arm);
            System.arraycopy(arm, 0, lastSent, 0, arm.length);
            haveSent = true;
        }
        sim.step(arm, layout.gripperJoint() != null ? command[offset + arm.length] : Double.NaN);
    }

    /** The scripted expert's command for the current state (what DAgger's labels are). */
    public void expertCommand(double[] out, int offset) {
        sim.armPositions(q);
        expert.act(q, sim.gripperOpening(), sim.goal(), expertAction);
        System.arraycopy(expertAction, 0, out, offset, layout.actionSize());
    }

    public double reward() {
        return sim.reward();
    }

    public boolean terminal() {
        return horizon == 0 ? sim.done() && !sim.truncated() : failed();
    }

    public boolean done() {
        return horizon == 0 ? sim.done() : sim.step() >= horizon || failed();
    }

    /** Fixed horizon: a failure the task ends at once (pick and place's cube off the table) still ends the episode. */
    private boolean failed() {
        return sim.done() && !sim.success() && !sim.truncated();
    }

    public boolean success() {
        return sim.success();
    }

    /** The most steps an episode takes: the task's time limit in control periods. */
    public int maxSteps() {
        return (int) Math.ceil(task.timeLimit() / controlPeriod);
    }

    public PolicyLayout layout() {
        return layout;
    }

    public Simulation simulation() {
        return sim;
    }
}
