package org.teachlearn.learn.demo;

import java.util.ArrayList;
import java.util.List;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * One recorded demonstration as plain timelines (times in ns), whatever it was recorded in: what
 * the arm did ({@link #joints}), what the task said ({@link #states}), what was commanded
 * ({@link #armCommands}, {@link #gripperCommands}, {@link #expertActions}) and what the recording
 * says about itself ({@link #info}). A reader fills it (for bags: nodes' {@code BagDemos});
 * {@link DemoSampler} turns it into labelled samples.
 */
public final class Demonstration {

    /** {@code DemoInfo.source} values (docs/messages.md). */
    public static final String DRAG_TEACH = "drag_teach", VR_TELEOP = "vr_teleop", EXPERT = "expert", POLICY = "policy";
    public static final List<String> SOURCES = List.of(DRAG_TEACH, VR_TELEOP, EXPERT, POLICY);

    /** The columns of {@link #states}: what each task/state said. */
    public static final int EPISODE = 0, DONE = 1, SUCCESS = 2, TRUNCATED = 3, REWARD = 4, GOAL = 5;

    /** What a recording's {@code demo/info} says. */
    public record Info(String task, String source, boolean success, String notes) { }

    private final String name;
    private final String problem;
    private final Timeline joints, states, expertActions, gripperCommands;
    private final ArmTargets armCommands;
    private final List<String> notes = new ArrayList<>();
    private Info info;

    /** An empty demonstration called {@code name} (the file, in summaries) for {@code layout}'s arm and task. */
    public Demonstration(String name, PolicyLayout layout) {
        this.name = name;
        this.problem = null;
        int arm = layout.armJoints().length, grip = layout.gripperJoint() != null ? 1 : 0;
        joints = new Timeline(2 * arm + grip);
        states = new Timeline(GOAL + layout.goalSize());
        expertActions = new Timeline(layout.actionSize());
        gripperCommands = new Timeline(1);
        armCommands = new ArmTargets(arm);
    }

    private Demonstration(String name, String problem) {
        this.name = name;
        this.problem = problem;
        joints = states = expertActions = gripperCommands = null;
        armCommands = null;
    }

    /** A recording that cannot be used at all, and why (damaged, no joint_states, an arm joint missing …). */
    public static Demonstration unreadable(String name, String why) {
        return new Demonstration(name, why);
    }

    public String name() {
        return name;
    }

    /** Why this recording cannot be used at all, or null. */
    public String problem() {
        return problem;
    }

    /** Per reading: arm positions (policy order), the gripper opening in m (if the arm has one), arm velocities. */
    public Timeline joints() {
        return joints;
    }

    /**
     * Per task/state: episode, done (1 or 0), success (1 or 0), truncated (1 or 0), the reward on
     * arriving in that state, then the goal (the columns {@link #EPISODE} … {@link #GOAL}).
     */
    public Timeline states() {
        return states;
    }

    /** Per expert/action: the policy's action order (arm position targets, gripper opening in m). */
    public Timeline expertActions() {
        return expertActions;
    }

    public ArmTargets armCommands() {
        return armCommands;
    }

    /** Per gripper command: the opening in m. */
    public Timeline gripperCommands() {
        return gripperCommands;
    }

    /** What demo/info said, or null when the recording has none. */
    public Info info() {
        return info;
    }

    public void setInfo(Info info) {
        this.info = info;
    }

    /** Things the summary should tell (messages refused, a second demo/info …). */
    public List<String> notes() {
        return notes;
    }

    public void note(String note) {
        notes.add(note);
    }

    /** Seconds from the first to the last joint reading (0 with fewer than two). */
    public double duration() {
        return joints == null || joints.size() < 2 ? 0 : (joints.last() - joints.first()) / 1e9;
    }
}
