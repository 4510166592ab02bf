package org.teachlearn.nodes.policy;

import java.util.concurrent.locks.StampedLock;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.robot.arm.GripperScale;

/**
 * The newest joint positions, velocities and goal for the timed control loop, written by the
 * subscriptions' threads and read by the real-time thread without ever waiting on them: those
 * threads run at normal priority, and a tick that waited for a lock one of them held while the
 * scheduler had put it aside would be late by a whole time slice (priority inversion). Reads are
 * optimistic; one that a write overlapped is tried again a few times and otherwise left for the
 * next tick — never spun on, since a real-time thread spinning on a preempted writer's lock keeps
 * that writer from running at all. Nothing allocates.
 */
final class LatestObservation {

    private final StampedLock lock = new StampedLock();
    private final JointStateMap joints;
    private final double[] positions, velocities, goal;
    private final double[] scratchPositions, scratchVelocities;
    private final double[] readPositions, readVelocities, readGoal;
    private boolean haveJoints, haveGoal;
    private long jointsAt, jointsStamp;   // the newest joint reading: System.nanoTime() it arrived, its header stamp (ns)
    private long readAt, readStamp;       // those of the reading the last successful read() returned
    private volatile boolean complete;    // joints and goal have both come

    LatestObservation(String[] jointNames, GripperScale gripper, int goalSize) {
        joints = new JointStateMap(gripper, jointNames);
        positions = new double[jointNames.length];
        velocities = new double[jointNames.length];
        scratchPositions = new double[jointNames.length];
        scratchVelocities = new double[jointNames.length];
        goal = new double[goalSize];
        readPositions = new double[jointNames.length];
        readVelocities = new double[jointNames.length];
        readGoal = new double[goalSize];
    }

    /**
     * From joint_states' thread (one at a time); false when the message cannot be used ({@link #missing()}
     * says why): the previous reading stays, with its own arrival time, and goes stale.
     */
    boolean putJoints(JointState m) {
        if (!joints.read(m, scratchPositions, scratchVelocities)) return false;
        long now = System.nanoTime(), stampNanos = m.header.stamp.toNanos();
        long stamp = lock.writeLock();
        try {
            System.arraycopy(scratchPositions, 0, positions, 0, positions.length);
            System.arraycopy(scratchVelocities, 0, velocities, 0, velocities.length);
            jointsAt = now;
            jointsStamp = stampNanos;
            haveJoints = true;
            if (haveGoal) complete = true;
        } finally {
            lock.unlockWrite(stamp);
        }
        return true;
    }

    String missing() {
        return joints.missing();
    }

    /** From task/state's thread; the caller checked the length and that every value is finite. */
    void putGoal(double[] g) {
        long stamp = lock.writeLock();
        try {
            System.arraycopy(g, 0, goal, 0, goal.length);
            haveGoal = true;
            if (haveJoints) complete = true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    int goalSize() {
        return goal.length;
    }

    /** Whether joints and a goal have both come (an observation can be read). */
    boolean complete() {
        return complete;
    }

    /**
     * Copies the newest observation into p, v, g and returns true; {@link #readAt()} and
     * {@link #readStamp()} then tell when its joint reading arrived and was stamped. False when
     * none has come yet or writes kept overlapping the read (p, v, g and those two are then left as
     * they were: the previous observation, judged by its own age).
     */
    boolean read(double[] p, double[] v, double[] g) {
        for (int attempt = 0; attempt < 4; attempt++) {
            long stamp = lock.tryOptimisticRead();
            if (stamp == 0) continue;   // a write holds it right now
            boolean whole = haveJoints && haveGoal;
            long at = jointsAt, stampNanos = jointsStamp;
            System.arraycopy(positions, 0, readPositions, 0, positions.length);
            System.arraycopy(velocities, 0, readVelocities, 0, velocities.length);
            System.arraycopy(goal, 0, readGoal, 0, goal.length);
            if (!lock.validate(stamp)) continue;
            if (!whole) return false;
            readAt = at;
            readStamp = stampNanos;
            System.arraycopy(readPositions, 0, p, 0, p.length);
            System.arraycopy(readVelocities, 0, v, 0, v.length);
            System.arraycopy(readGoal, 0, g, 0, g.length);
            return true;
        }
        return false;
    }

    /** System.nanoTime() the joint reading of the last successful {@link #read} arrived. */
    long readAt() {
        return readAt;
    }

    /** The header stamp (ns) of the joint reading of the last successful {@link #read}. */
    long readStamp() {
        return readStamp;
    }
}
