package org.teachlearn.nodes.teach;

import java.io.IOException;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import java.util.List;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.std_srvs.TriggerRequest;
import org.teachlearn.msgs.std_srvs.TriggerResponse;
import org.teachlearn.msgs.teach_learn.Reset;
import org.teachlearn.msgs.teach_learn.ResetRequest;
import org.teachlearn.msgs.teach_learn.ResetResponse;
import org.teachlearn.msgs.teach_learn.StopDemo;
import org.teachlearn.msgs.teach_learn.StopDemoRequest;
import org.teachlearn.msgs.teach_learn.StopDemoResponse;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.person.GuidingHand;
import org.teachlearn.robot.person.Lesson;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.ServiceClient;

/**
 * virtual_teacher: a simulated person who gives drag-teaching demonstrations on the simulated arm,
 * unattended. It acts on the arm only by pushing the hand through {@code sim/wrench}
 * ({@link GuidingHand}: a spring–damper pull towards a minimum-jerk path at a person's speed, capped
 * at a person's force, with tremor and hesitations), so whatever teaches the arm — drag_teach in
 * admittance on the wrist sensor, or in gravity mode on an effort-controlled arm — must follow it as
 * it would follow a hand. For each demonstration it resets the world, starts the recorder, guides the
 * hand to the goal, lets go, and stops the recorder with the task's verdict.
 *
 * <pre>
 * params  ~task (reach | pick_place), ~demos (50), ~seed (0), ~record (true: call demo/start and demo/stop), ~pause (0.5 s between demonstrations),
 *         ~min_speed (0.1), ~max_speed (0.3) m/s, ~max_duration (2.2 s), ~max_force (30 N), ~tremor (0.4 N),
 *         ~hesitation_rate (0.15 /s), ~sway (0 N: a slow 0.5–2 Hz wander off the path), ~push_link (the F/T sensor link), ~tare (true), ~exit_when_done (true); the arm from ~urdf, /robot_description and the arm keys
 * sub     joint_states, task/state
 * pub     sim/wrench (on ~push_link, default the F/T sensor's link, in its frame), teach/joy (~close_button 0, ~open_button 0: pressed
 *         for 0.15 s in pick and place)
 * calls   ft_sensor/tare (once, hands off, before the first demonstration), sim/reset, demo/start, demo/stop
 * </pre>
 */
public final class VirtualTeacher {

    private static final double EPISODE_WAIT = 5.0;   // s for sim/reset's first state to come
    private static final double TARE_WAIT = 5.0;      // s for ft_sensor/tare to appear and succeed
    private static final double GRIPPER_WAIT = 0.6;   // s for the fingers to close or open after a press

    private final Node node;
    private final KinematicChain chain, handle;   // to the tool centre point; to the link the person pushes
    private final JointStateMap joints;
    private final GuidingHand hand;
    private final Publisher<WrenchStamped> wrench;
    private final ServiceClient<ResetRequest, ResetResponse> reset;
    private final ServiceClient<TriggerRequest, TriggerResponse> start;
    private final ServiceClient<StopDemoRequest, StopDemoResponse> stop;
    private final ServiceClient<TriggerRequest, TriggerResponse> tare;   // null: ~tare false
    private final int demos;
    private final long seed;
    private final double pause;
    private final boolean exitWhenDone;
    private final boolean pickPlace;
    private final double timeLimit, neutralYaw;
    private final int closeButton, openButton;
    private final Publisher<Joy> joyOut;
    private final Joy joy = new Joy();
    private int hesitations;
    private double speed;

    private final Object lock = new Object();
    private final double[] q, dq, pose = new double[16], handlePose = new double[16], linear = new double[3], angular = new double[3];
    private final double[] force = new double[3], torque = new double[3], goal;
    private final DMatrixRMaj jacobian;
    private final WrenchStamped push = new WrenchStamped();
    private boolean guiding, haveJoints;
    private long lastStamp = Long.MIN_VALUE;
    private double peakForce;
    private long stateEpisode = -1, doneEpisode = -1;
    private boolean doneSuccess;
    private long guidedEpisode = -1;

    public VirtualTeacher(Node node) throws IOException {
        this.node = node;
        var p = node.params();
        ArmDescription description = ArmDescription.read(node, false);
        chain = description.layout().chain(description.model());
        // the person holds the hand at the wrist sensor (the handle), not at the fingertips: a push there turns nothing
        String pushed = p.getString("~push_link", description.layout().sensorLink() != null ? description.layout().sensorLink() : chain.tipLink());
        handle = new KinematicChain(description.model(), description.layout().baseLink(), pushed);
        joints = new JointStateMap(chain.jointNames());
        q = new double[chain.dof()];
        dq = new double[chain.dof()];
        jacobian = new DMatrixRMaj(6, chain.dof());
        GuidingHand.Settings settings = GuidingHand.Settings.defaults()
                .withSpeeds(p.getDouble("~min_speed", 0.1), p.getDouble("~max_speed", 0.3))
                .withMaxDuration(p.getDouble("~max_duration", 2.2))
                .withMaxForce(p.getDouble("~max_force", 30))
                .withTremor(p.getDouble("~tremor", 0.4))
                .withHesitationRate(p.getDouble("~hesitation_rate", 0.15));
        seed = p.getInt("~seed", 0);
        hand = new GuidingHand(settings, seed);
        hand.sway(p.getDouble("~sway", 0));
        demos = p.getInt("~demos", 50);
        pause = p.getDouble("~pause", 0.5);
        exitWhenDone = p.getBool("~exit_when_done", true);
        boolean record = p.getBool("~record", true);
        Task task = Task.named(p.getString("~task", "reach"));
        pickPlace = task.name().equals("pick_place");
        goal = new double[task.goalSize()];
        timeLimit = task.timeLimit();
        double[] rest = new double[16];
        chain.forward(description.layout().restPose(), rest);
        neutralYaw = Math.atan2(rest[4], rest[0]);
        closeButton = p.getInt("~close_button", 0);   // drag_teach toggles the gripper on its ~gripper_button (0)
        openButton = p.getInt("~open_button", 0);
        joy.buttons = new int[Math.max(closeButton, openButton) + 1];
        joy.axes = new float[0];
        joyOut = node.advertise("teach/joy", Joy.TYPE);
        push.header.frame_id = pushed;
        wrench = node.advertise("sim/wrench", WrenchStamped.TYPE);
        reset = node.serviceClient("sim/reset", Reset.TYPE, true);
        start = record ? node.serviceClient("demo/start", Trigger.TYPE, false) : null;
        stop = record ? node.serviceClient("demo/stop", StopDemo.TYPE, false) : null;
        tare = p.getBool("~tare", true) ? node.serviceClient("ft_sensor/tare", Trigger.TYPE, false) : null;
        node.subscribe("joint_states", JointState.TYPE, 1, this::onJoints);
        node.subscribe("task/state", TaskState.TYPE, 10, this::onState);
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("virtual_teacher", argv, VirtualTeacher::run);
    }

    public static void run(Node node) throws Exception {
        VirtualTeacher teacher = new VirtualTeacher(node);
        teacher.teach();
        if (!teacher.exitWhenDone) node.spin();
    }

    /** Gives the demonstrations one after the other; logs each and a summary. */
    public int teach() throws Exception {
        waitFor(reset);
        if (start != null) {
            waitFor(start);
            waitFor(stop);
        }
        tareFirst();
        int successes = 0;
        for (int d = 0; d < demos && !node.isShutdown(); d++) {
            if (demonstrate(d)) successes++;
        }
        node.log().info(String.format("virtual_teacher: %d of %d demonstrations reached the goal", successes, demos));
        return successes;
    }

    private boolean demonstrate(int d) throws Exception {
        ResetRequest rq = reset.newRequest();
        rq.seed = seed + d;
        ResetResponse rs = reset.call(rq);
        if (!rs.ok) throw new IllegalStateException("sim/reset refused seed " + rq.seed + ": " + rs.message);
        if (!awaitState(rs.episode, EPISODE_WAIT, false)) {
            throw new IllegalStateException("no task/state of episode " + rs.episode + " within " + EPISODE_WAIT + " s of sim/reset");
        }
        Thread.sleep((long) (1000 * pause / 2));   // a person takes hold of the handle
        if (start != null) {
            TriggerResponse started = start.call(start.newRequest());
            if (!started.success) throw new IllegalStateException("demo/start refused: " + started.message);
        }
        List<Lesson.Move> moves;
        synchronized (lock) {
            moves = pickPlace ? Lesson.pickPlace(goal, neutralYaw) : Lesson.reach(goal);
            guidedEpisode = rs.episode;
            peakForce = 0;
            hesitations = 0;
            speed = 0;
        }
        long deadline = System.nanoTime() + (long) (timeLimit * 1e9);
        for (Lesson.Move move : moves) {
            if (!guide(move, rs.episode, deadline)) break;
            if (move.then() != Lesson.Gripper.NONE) press(move.then());
        }
        boolean done = awaitState(rs.episode, Math.max(0.5, (deadline - System.nanoTime()) * 1e-9), true);
        boolean success;
        synchronized (lock) {
            guiding = false;
            success = done && doneSuccess;
            letGo();
        }
        String verdict = String.format("virtual_teacher demo %d (seed %d): %s, %d movements at %.2f m/s on average, %d hesitations, peak %.1f N",
                d, rq.seed, success ? "succeeded" : done ? "failed" : "timed out", moves.size(), speed / moves.size(), hesitations, peakForce);
        if (stop != null) {
            StopDemoRequest sq = stop.newRequest();
            sq.success = success;
            sq.notes = verdict;
            StopDemoResponse stopped = stop.call(sq);
            if (!stopped.ok) node.log().error("demo/stop failed for demonstration " + d + ": the recorder keeps its reason on /rosout");
            else node.log().info(verdict + " -> " + stopped.path);
        } else {
            node.log().info(verdict);
        }
        Thread.sleep((long) (1000 * pause / 2));
        return success;
    }

    /** Guides the hand through one movement of the lesson; false when the episode ended first or time ran out. */
    private boolean guide(Lesson.Move move, long episode, long deadline) throws InterruptedException {
        synchronized (lock) {
            hand.start(pose, move.point(), move.rotation());
            speed += hand.averageSpeed();
            guiding = true;
            try {
                while (!(hand.arrived() && hand.remaining(pose) < move.tolerance())) {
                    if (doneEpisode == episode || node.isShutdown()) return false;
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    lock.wait(Math.max(1, left / 1_000_000));
                }
                return true;
            } finally {
                hesitations += hand.hesitations();
            }
        }
    }

    /** Presses the gripper button on teach/joy, as a person does with the hand not on the handle, and waits for the fingers. */
    private void press(Lesson.Gripper action) throws Exception {
        int button = action == Lesson.Gripper.CLOSE ? closeButton : openButton;
        java.util.Arrays.fill(joy.buttons, 0);
        joy.buttons[button] = 1;
        node.now(joy.header.stamp);
        joyOut.publish(joy);
        Thread.sleep(150);
        joy.buttons[button] = 0;
        node.now(joy.header.stamp);
        joyOut.publish(joy);
        Thread.sleep((long) (1000 * GRIPPER_WAIT));
    }

    /** Waits for a state of {@code episode}: its first one, or (with {@code untilDone}) its last. */
    private boolean awaitState(long episode, double seconds, boolean untilDone) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        synchronized (lock) {
            while (true) {
                if (untilDone ? doneEpisode == episode : stateEpisode == episode && haveJoints) return true;
                long left = deadline - System.nanoTime();
                if (left <= 0 || node.isShutdown()) return false;
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void onState(TaskState m) {
        synchronized (lock) {
            stateEpisode = m.episode;
            if (m.goal.length == goal.length) System.arraycopy(m.goal, 0, goal, 0, goal.length);
            if (m.done) {
                doneEpisode = m.episode;   // latched: the next episode's first state may come before the waiting thread runs
                doneSuccess = m.success;
            }
            lock.notifyAll();
        }
    }

    private void onJoints(JointState m) {
        synchronized (lock) {
            if (!joints.read(m, q, dq)) {
                node.log().errorThrottled("joints", 2.0, "virtual_teacher: " + joints.missing());
                return;
            }
            long stamp = m.header.stamp.toNanos();
            double dt = lastStamp == Long.MIN_VALUE || stamp <= lastStamp ? 0 : (stamp - lastStamp) * 1e-9;
            lastStamp = stamp;
            haveJoints = true;
            chain.forward(q, pose);
            handle.forward(q, handlePose);
            if (guiding && doneEpisode != guidedEpisode && stateEpisode == guidedEpisode) {
                tcpVelocity();
                hand.push(Math.min(dt, 0.1), pose, linear, angular, force, torque);
                peakForce = Math.max(peakForce, Math.sqrt(force[0] * force[0] + force[1] * force[1] + force[2] * force[2]));
                publish(force, torque);
            } else if (guiding) {
                letGo();
            }
            lock.notifyAll();
        }
    }

    private void letGo() {
        force[0] = force[1] = force[2] = 0;
        torque[0] = torque[1] = torque[2] = 0;
        publish(force, torque);
    }

    /** The tool centre point's linear and angular velocity in the base frame: J(q) q̇. */
    private void tcpVelocity() {
        chain.jacobian(q, jacobian);
        int n = q.length;
        double[] j = jacobian.data;
        for (int r = 0; r < 3; r++) {
            double l = 0, a = 0;
            for (int c = 0; c < n; c++) {
                l += j[r * n + c] * dq[c];
                a += j[(r + 3) * n + c] * dq[c];
            }
            linear[r] = l;
            angular[r] = a;
        }
    }

    /** Publishes a base-frame force and torque on the handle link, in that link's frame. */
    private void publish(double[] f, double[] t) {
        var w = push.wrench;
        double[] pose = handlePose;
        // the link frame's axes are the columns of the pose's rotation: v_link = Rᵀ v_base
        w.force.x = pose[0] * f[0] + pose[4] * f[1] + pose[8] * f[2];
        w.force.y = pose[1] * f[0] + pose[5] * f[1] + pose[9] * f[2];
        w.force.z = pose[2] * f[0] + pose[6] * f[1] + pose[10] * f[2];
        w.torque.x = pose[0] * t[0] + pose[4] * t[1] + pose[8] * t[2];
        w.torque.y = pose[1] * t[0] + pose[5] * t[1] + pose[9] * t[2];
        w.torque.z = pose[2] * t[0] + pose[6] * t[1] + pose[10] * t[2];
        node.now(push.header.stamp);
        wrench.publish(push);
    }

    /**
     * Before touching the arm, hands off, the person zeroes the wrist sensor (ft_sensor/tare), as
     * drag_teach's docs ask: a sensor tared while someone pushes steadily would take the push for
     * its bias and move the arm the wrong way. Skipped where nothing serves it (gravity mode) within
     * {@link #TARE_WAIT} s.
     */
    private void tareFirst() throws Exception {
        if (tare == null) return;
        if (!tare.waitForService((long) (1000 * TARE_WAIT))) {
            node.log().info("virtual_teacher: no " + tare.name() + " (gravity mode?): not taring");
            return;
        }
        long deadline = System.nanoTime() + (long) (TARE_WAIT * 1e9);
        while (true) {
            TriggerResponse r = tare.call(tare.newRequest());
            if (r.success) {
                node.log().info("virtual_teacher: " + tare.name() + ": " + r.message);
                return;
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException(tare.name() + " keeps refusing: " + r.message);
            Thread.sleep(200);
        }
    }

    private void waitFor(ServiceClient<?, ?> client) throws InterruptedException {
        while (!client.waitForService(2000)) {
            if (node.isShutdown()) return;
            node.log().info("virtual_teacher: waiting for " + client.name());
        }
    }
}
