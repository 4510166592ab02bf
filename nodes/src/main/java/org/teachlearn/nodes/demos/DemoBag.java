package org.teachlearn.nodes.demos;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.teachlearn.learn.demo.DemoSpec;
import org.teachlearn.learn.demo.Demonstration;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.DemoInfo;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.robot.arm.GripperScale;
import org.teachlearn.ros.bag.BagReader;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageType;

/**
 * One demonstration bag → a {@link Demonstration}. Joints are read by name into the policy's
 * order by the nodes' own {@link JointStateMap} (the policy server reads them with it too), the
 * gripper as its opening in metres. Times are the messages' header stamps when joint_states is
 * stamped (so a simulation faster than real time keeps its own clock); a message without a stamp
 * (a Float64MultiArray command) takes the stamp of the latest reading recorded before it — the
 * state it answers. With unstamped joint_states, every message is timed by when it was recorded.
 * A malformed message is refused and counted, as the nodes refuse it; a bag whose joint_states
 * never give every arm joint cannot be used.
 */
final class DemoBag {

    private final BagReader bag;
    private final String name;
    private final DemoSpec spec;
    private final PolicyLayout layout;
    private final Demonstration demo;
    private final GripperScale gripper;
    private final int arm, grip;
    private final int[] commandIndex;   // for each arm joint in policy order, its index in the controller's command
    private final Map<String, int[]> refused = new LinkedHashMap<>();   // what → {count}
    private final Map<String, String> firstReason = new LinkedHashMap<>();

    // joint_states as recorded, to time unstamped messages by the reading before them
    private long[] readAt, stampOf;
    private int readings;
    private boolean stamped;

    DemoBag(BagReader bag, String name, DemoSpec spec) {
        this.bag = bag;
        this.name = name;
        this.spec = spec;
        this.layout = spec.layout();
        this.demo = new Demonstration(name, layout);
        this.gripper = layout.gripperJoint() != null ? spec.gripper() : null;
        arm = layout.armJoints().length;
        grip = gripper != null ? 1 : 0;
        List<String> order = Arrays.asList(spec.commandJoints());
        commandIndex = new int[arm];
        for (int j = 0; j < arm; j++) {
            commandIndex[j] = order.indexOf(layout.armJoints()[j]);
            if (commandIndex[j] < 0 || order.size() != arm) {
                throw new IllegalArgumentException("the arm controller's joints " + order + " must name the arm's joints "
                        + String.join(", ", layout.armJoints()) + " (--arm-joints)");
            }
        }
    }

    Demonstration read() throws IOException {
        DemoSpec.Topics t = spec.topics();
        String joints = global(t.jointStates());
        Map<String, String> types = new LinkedHashMap<>();
        for (BagReader.Connection c : bag.connections()) types.putIfAbsent(c.topic(), c.type());
        if (!types.containsKey(joints)) {
            return Demonstration.unreadable(name, "no " + joints + " in it (topics: " + String.join(", ", types.keySet())
                    + "; --joint-states-topic names another)");
        }
        String wrong = checkTypes(JointState.TYPE, joints);
        if (wrong != null) return Demonstration.unreadable(name, wrong);
        readJoints(joints);
        if (demo.joints().size() == 0) {
            return Demonstration.unreadable(name, "no usable " + joints + " message: " + firstReason.get(joints));
        }
        Set<String> others = new HashSet<>();
        String state = global(t.taskState()), expert = global(t.expertAction()), armCmd = global(t.armCommand()),
                gripperCmd = global(t.gripperCommand()), info = global(t.demoInfo());
        boolean trajectory = JointTrajectory.TYPE.name().equals(types.get(armCmd));
        for (var e : Map.of(state, TaskState.TYPE, expert, ActionStamped.TYPE, armCmd, trajectory ? JointTrajectory.TYPE : Float64MultiArray.TYPE,
                gripperCmd, Float64MultiArray.TYPE, info, DemoInfo.TYPE).entrySet()) {
            if (!types.containsKey(e.getKey())) continue;
            String problem = checkTypes(e.getValue(), e.getKey());
            if (problem != null) {
                demo.note(problem + ": not used");
            } else {
                others.add(e.getKey());
            }
        }
        TaskState ts = new TaskState();
        ActionStamped action = new ActionStamped();
        Float64MultiArray command = new Float64MultiArray();
        JointTrajectory traj = new JointTrajectory();
        DemoInfo di = new DemoInfo();
        double[] row = new double[Math.max(Demonstration.GOAL + layout.goalSize(), Math.max(layout.actionSize(), arm))];
        int[] infos = {0};
        bag.read(others, 0, Long.MAX_VALUE, m -> {
            String topic = m.connection().topic();
            long at = m.timeNanos();
            if (topic.equals(state)) {
                ts.deserialize(m.data());
                if (ts.goal.length != layout.goalSize() || !finite(ts.goal, ts.goal.length)) {
                    refuse(topic, "goal " + Arrays.toString(ts.goal) + " is not " + layout.goalSize() + " finite values (task " + layout.task() + ")");
                    return;
                }
                row[Demonstration.EPISODE] = ts.episode;
                row[Demonstration.DONE] = ts.done ? 1 : 0;
                row[Demonstration.SUCCESS] = ts.success ? 1 : 0;
                row[Demonstration.TRUNCATED] = ts.truncated ? 1 : 0;
                row[Demonstration.REWARD] = ts.reward;
                System.arraycopy(ts.goal, 0, row, Demonstration.GOAL, ts.goal.length);
                demo.states().add(time(ts.header.stamp.toNanos(), at), row, 0);
            } else if (topic.equals(expert)) {
                action.deserialize(m.data());
                if (action.action.length != layout.actionSize() || !finite(action.action, action.action.length)) {
                    refuse(topic, "action " + Arrays.toString(action.action) + " is not " + layout.actionSize()
                            + " finite values (arm targets in the policy's joint order, then the gripper opening)");
                    return;
                }
                demo.expertActions().add(time(action.header.stamp.toNanos(), at), action.action, 0);
            } else if (topic.equals(armCmd) && trajectory) {
                traj.deserialize(m.data());
                addTrajectory(topic, traj, at);
            } else if (topic.equals(armCmd)) {
                command.deserialize(m.data());
                if (command.data.length != arm || !finite(command.data, arm)) {
                    refuse(topic, "command " + Arrays.toString(command.data) + " is not " + arm + " finite positions");
                    return;
                }
                for (int j = 0; j < arm; j++) row[j] = command.data[commandIndex[j]];
                demo.armCommands().addTarget(time(0, at), Arrays.copyOf(row, arm));
            } else if (topic.equals(gripperCmd)) {
                command.deserialize(m.data());
                if (grip == 0) return;
                if (command.data.length != 1 || !Double.isFinite(command.data[0])) {
                    refuse(topic, "command " + Arrays.toString(command.data) + " is not one finite position of " + layout.gripperJoint());
                    return;
                }
                row[0] = gripper.toWidth(command.data[0]);
                demo.gripperCommands().add(time(0, at), row, 0);
            } else if (topic.equals(info)) {
                di.deserialize(infoBefore04 ? from03(m.data()) : m.data());
                if (infos[0]++ > 0) demo.note("more than one " + info + ": the last one counts");
                demo.setInfo(new Demonstration.Info(di.task, di.source, di.success, di.notes));
            }
        });
        refused.forEach((topic, n) -> demo.note(n[0] + " " + topic + " message" + (n[0] == 1 ? "" : "s") + " refused (first: "
                + firstReason.get(topic) + ")"));
        return demo;
    }

    private void readJoints(String topic) throws IOException {
        String[] wanted = Arrays.copyOf(layout.armJoints(), arm + grip);
        if (grip == 1) wanted[arm] = layout.gripperJoint();
        JointStateMap map = new JointStateMap(gripper, wanted);
        JointState js = new JointState();
        // Stamped joint_states set the clock. A zero stamp is a simulated clock's first instant when
        // the stamps after it start near 0; among wall-clock stamps it is a reading without one.
        long[] firstStamp = {0};
        bag.read(Set.of(topic), 0, Long.MAX_VALUE, m -> {
            if (firstStamp[0] != 0) return;
            js.deserialize(m.data());
            firstStamp[0] = js.header.stamp.toNanos();
        });
        stamped = firstStamp[0] != 0;
        boolean zeroIsTime = firstStamp[0] < 1_000_000_000L;
        double[] q = new double[wanted.length], dq = new double[wanted.length], row = new double[2 * arm + grip];
        readAt = new long[256];
        stampOf = new long[256];
        bag.read(Set.of(topic), 0, Long.MAX_VALUE, m -> {
            js.deserialize(m.data());
            long at = m.timeNanos(), stamp = js.header.stamp.toNanos();
            if (!map.read(js, q, dq)) {
                refuse(topic, map.missing());
                return;
            }
            if (stamped && stamp == 0 && !zeroIsTime) {
                refuse(topic, "an unstamped reading among stamped ones");
                return;
            }
            System.arraycopy(q, 0, row, 0, arm + grip);
            System.arraycopy(dq, 0, row, arm + grip, arm);
            demo.joints().add(stamped ? stamp : at, row, 0);
            if (readings == readAt.length) {
                readAt = Arrays.copyOf(readAt, 2 * readings);
                stampOf = Arrays.copyOf(stampOf, 2 * readings);
            }
            readAt[readings] = at;
            stampOf[readings++] = stamped ? stamp : at;
        });
        if (!stamped && readings > 0) demo.note(topic + " is not stamped: messages are timed by when they were recorded");
    }

    private void addTrajectory(String topic, JointTrajectory traj, long at) {
        List<String> names = Arrays.asList(traj.joint_names);
        int[] index = new int[arm];
        for (int j = 0; j < arm; j++) {
            index[j] = names.indexOf(layout.armJoints()[j]);
            if (index[j] < 0) {
                refuse(topic, "joint_names " + names + " lack the arm's joint " + layout.armJoints()[j]);
                return;
            }
        }
        if (traj.points.length == 0) return;   // an empty trajectory cancels; the arm holds where it is
        double[] times = new double[traj.points.length], positions = new double[traj.points.length * arm];
        for (int k = 0; k < traj.points.length; k++) {
            var p = traj.points[k];
            if (p.positions.length != names.size() || !finite(p.positions, p.positions.length)) {
                refuse(topic, "point " + k + " has positions " + Arrays.toString(p.positions) + " for joints " + names);
                return;
            }
            times[k] = p.time_from_start.toNanos() / 1e9;
            for (int j = 0; j < arm; j++) positions[k * arm + j] = p.positions[index[j]];
        }
        demo.armCommands().addTrajectory(time(traj.header.stamp.toNanos(), at), times, positions);
    }

    /** A message's time: its stamp where the bag's clock is the stamps and it has one, else the reading it came after. */
    private long time(long stamp, long recordedAt) {
        if (!stamped) return recordedAt;
        if (stamp != 0) return stamp;
        int lo = 0, hi = readings - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (readAt[mid] <= recordedAt) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 ? stampOf[found] : Long.MIN_VALUE / 2;   // before any reading: in force from the start
    }

    private String checkTypes(MessageType<? extends Message> type, String topic) {
        for (BagReader.Connection c : bag.connections()) {
            if (!c.topic().equals(topic)) continue;
            if (!c.type().equals(type.name())) return topic + " is a " + c.type() + ", not a " + type.name();
            if (type == DemoInfo.TYPE && c.md5().equals(DEMO_INFO_0_3)) {
                infoBefore04 = true;   // read as 0.4 with the fields it lacks appended
                continue;
            }
            if (!c.md5().equals(type.md5())) {
                return topic + " was recorded with another definition of " + type.name() + " (MD5 " + c.md5() + ", ours " + type.md5() + ")";
            }
        }
        return null;
    }

    /** DemoInfo's MD5 before 0.4 (docs/messages.md, version notes): the same fields, without the three 0.4 added at its end. */
    static final String DEMO_INFO_0_3 = "13f5e46cfd5df2cbe492d7609a115dd1";
    private boolean infoBefore04;

    /** A 0.3 DemoInfo's bytes as 0.4 reads them: the same, then interventions 0 and the two latencies NaN (not measured). */
    private static java.nio.ByteBuffer from03(java.nio.ByteBuffer old) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(old.remaining() + 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(old.duplicate()).putInt(0).putFloat(Float.NaN).putFloat(Float.NaN).flip();
        return b;
    }

    private void refuse(String topic, String why) {
        refused.computeIfAbsent(topic, k -> new int[1])[0]++;
        firstReason.putIfAbsent(topic, why);
    }

    private static boolean finite(double[] v, int n) {
        for (int i = 0; i < n; i++) if (!Double.isFinite(v[i])) return false;
        return true;
    }

    static String global(String topic) {
        return topic.startsWith("/") ? topic : "/" + topic;
    }
}
