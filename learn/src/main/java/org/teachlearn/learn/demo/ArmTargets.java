package org.teachlearn.learn.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The arm's recorded position commands, in the policy's joint order: a group position
 * controller's command is a target held until the next; a trajectory controller's command is a
 * trajectory from its start time, whose target at a sample is where it asks the arm to be one
 * control period later (linear between points, its first point before, its last after), as a
 * JointTrajectoryController interpolates towards it.
 */
public final class ArmTargets {

    private final int joints;
    private final Timeline starts = new Timeline(1);   // value: index into the lists below
    private final List<double[]> pointTimes = new ArrayList<>();   // seconds from the start
    private final List<double[]> points = new ArrayList<>();       // point-major, joints per point
    private final double[] index = new double[1];

    public ArmTargets(int joints) {
        this.joints = joints;
    }

    public int size() {
        return starts.size();
    }

    /** A target held from {@code nanos} on (std_msgs/Float64MultiArray to a position controller). */
    public void addTarget(long nanos, double[] q) {
        addTrajectory(nanos, new double[] {0}, q.clone());
    }

    /** A trajectory starting at {@code startNanos}: point k at {@code timesFromStart[k]} s with positions {@code positions[k·joints..]}. */
    public void addTrajectory(long startNanos, double[] timesFromStart, double[] positions) {
        if (timesFromStart.length == 0 || positions.length != timesFromStart.length * joints) {
            throw new IllegalArgumentException("a trajectory needs points of " + joints + " positions");
        }
        index[0] = points.size();
        pointTimes.add(timesFromStart);
        points.add(positions);
        starts.add(startNanos, index, 0);
    }

    /**
     * The target of the command in force at {@code nanos} (one starting up to {@code slackNanos}
     * later counts), where its trajectory is {@code aheadNanos} after {@code nanos}, into {@code
     * out[offset..]}; false before the first command.
     */
    public boolean targetAt(long nanos, long slackNanos, long aheadNanos, double[] out, int offset) {
        int row = starts.latest(nanos + slackNanos);
        if (row < 0) return false;
        int k = (int) starts.value(row, 0);
        double[] t = pointTimes.get(k), p = points.get(k);
        double tau = (nanos + aheadNanos - starts.time(row)) / 1e9;
        int last = t.length - 1;
        if (tau <= t[0] || last == 0) {
            System.arraycopy(p, 0, out, offset, joints);
        } else if (tau >= t[last]) {
            System.arraycopy(p, last * joints, out, offset, joints);
        } else {
            int i = 0;
            while (t[i + 1] < tau) i++;
            double w = (tau - t[i]) / (t[i + 1] - t[i]);
            for (int j = 0; j < joints; j++) out[offset + j] = p[i * joints + j] + w * (p[(i + 1) * joints + j] - p[i * joints + j]);
        }
        return true;
    }
}
