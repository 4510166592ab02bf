package org.teachlearn.nodes.sim;

import org.teachlearn.msgs.visualization_msgs.Marker;
import org.teachlearn.msgs.visualization_msgs.MarkerArray;
import org.teachlearn.robot.sim.PickPlaceTask;
import org.teachlearn.robot.sim.ReachAroundTask;
import org.teachlearn.robot.sim.ReachTask;
import org.teachlearn.robot.sim.ReachViaTask;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * sim_arm's {@code task/markers} (visualization_msgs/MarkerArray, latched) for RViz, in the arm's base
 * frame: reach draws its goal (a sphere as wide as the tolerance); pick_place the cube (a cube) and
 * its target (a sphere as wide as the tolerance); reach_around its goal and the pole (a cylinder of
 * the pole's radius, {@link #POLE_HEIGHT} tall from the base's plane); reach_via its via point (a
 * sphere as wide as its tolerance) and its goal. Sent at the first step of every episode and then
 * every {@link #PERIOD_NANOS} of simulated time, not every step; the messages are built once and
 * only their numbers change.
 */
final class TaskMarkers {

    static final long PERIOD_NANOS = 100_000_000L;
    static final double POLE_HEIGHT = 1.0;   // m: the pole is virtual and infinitely tall; this covers the workspace

    private final Publisher<MarkerArray> markers;
    private final MarkerArray msg = new MarkerArray();
    private enum Kind { REACH, PICK_PLACE, REACH_AROUND, REACH_VIA }

    private final Kind kind;
    private long lastSent;   // stamp of the last markers sent (the first state of an episode always sends)

    /** The markers of {@code task} ({@code reach}, {@code pick_place}, {@code reach_around} or {@code reach_via}); null for a task with nothing to draw. */
    static TaskMarkers advertise(Node node, String task, String baseFrame, double cubeSize) throws java.io.IOException {
        return switch (task) {
            case "reach" -> new TaskMarkers(node, Kind.REACH, baseFrame, cubeSize);
            case "pick_place" -> new TaskMarkers(node, Kind.PICK_PLACE, baseFrame, cubeSize);
            case "reach_around" -> new TaskMarkers(node, Kind.REACH_AROUND, baseFrame, cubeSize);
            case "reach_via" -> new TaskMarkers(node, Kind.REACH_VIA, baseFrame, cubeSize);
            default -> null;
        };
    }

    private TaskMarkers(Node node, Kind kind, String baseFrame, double cubeSize) throws java.io.IOException {
        this.kind = kind;
        Marker goal = marker(baseFrame, "goal", 0, Marker.SPHERE, 2 * ReachTask.TOLERANCE, 0.1f, 0.8f, 0.2f, 0.6f);
        if (kind == Kind.PICK_PLACE) {
            msg.markers = new Marker[] {
                marker(baseFrame, "cube", 0, Marker.CUBE, cubeSize, 0.9f, 0.5f, 0.1f, 1.0f),
                marker(baseFrame, "target", 1, Marker.SPHERE, 2 * PickPlaceTask.TOLERANCE, 0.1f, 0.8f, 0.2f, 0.5f)};
        } else if (kind == Kind.REACH_AROUND) {
            Marker cylinder = marker(baseFrame, "pole", 1, Marker.CYLINDER, 2 * ReachAroundTask.POLE_RADIUS, 0.8f, 0.2f, 0.1f, 0.8f);
            cylinder.scale.z = POLE_HEIGHT;
            msg.markers = new Marker[] {goal, cylinder};
        } else if (kind == Kind.REACH_VIA) {
            msg.markers = new Marker[] {goal, marker(baseFrame, "via", 1, Marker.SPHERE, 2 * ReachViaTask.VIA_TOLERANCE, 0.2f, 0.4f, 0.9f, 0.4f)};
        } else {
            msg.markers = new Marker[] {goal};
        }
        markers = node.advertise("task/markers", MarkerArray.TYPE, 1, true);
    }

    private static Marker marker(String frame, String ns, int id, short type, double size, float r, float g, float b, float a) {
        Marker m = new Marker();
        m.header.frame_id = frame;
        m.ns = ns;
        m.id = id;
        m.type = type;
        m.action = Marker.ADD;
        m.pose.orientation.w = 1;
        m.scale.x = size;
        m.scale.y = size;
        m.scale.z = size;
        m.color.r = r;
        m.color.g = g;
        m.color.b = b;
        m.color.a = a;
        return m;
    }

    /** Sends the markers of the state just published, when an episode starts or {@link #PERIOD_NANOS} have passed. */
    void publish(Simulation sim, Time stamp) {
        long now = stamp.toNanos();
        // a stamp that went back (a new /clock) sends at once
        if (sim.step() != 0 && now >= lastSent && now - lastSent < PERIOD_NANOS) return;
        lastSent = now;
        double[] goal = sim.goal();
        if (kind == Kind.PICK_PLACE) {
            // goal: cube x, y, z, yaw, then target x, y, z
            Marker cube = msg.markers[0];
            place(cube, goal[0], goal[1], goal[2], stamp);
            cube.pose.orientation.z = Math.sin(goal[3] / 2);
            cube.pose.orientation.w = Math.cos(goal[3] / 2);
            place(msg.markers[1], goal[4], goal[5], goal[6], stamp);
        } else if (kind == Kind.REACH_VIA) {
            // goal: the via point x, y, z, then the goal point x, y, z
            place(msg.markers[0], goal[3], goal[4], goal[5], stamp);
            place(msg.markers[1], goal[0], goal[1], goal[2], stamp);
        } else {
            place(msg.markers[0], goal[0], goal[1], goal[2], stamp);
            // reach_around's goal: x, y, z, then the pole's x, y; a cylinder's pose is its centre
            if (kind == Kind.REACH_AROUND) place(msg.markers[1], goal[3], goal[4], POLE_HEIGHT / 2, stamp);
        }
        markers.publish(msg);
    }

    private static void place(Marker m, double x, double y, double z, Time stamp) {
        m.header.stamp.set(stamp);
        m.pose.position.x = x;
        m.pose.position.y = y;
        m.pose.position.z = z;
    }
}
