package org.teachlearn.nodes.policy;

import java.util.concurrent.locks.StampedLock;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.nodes.observe.JointStateMap;

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
    private volatile long completeAt;   // System.nanoTime() of the newest complete observation; 0: none yet

    LatestObservation(String[] jointNames, int goalSize) {
        joints = new JointStateMap(jointNames);
        positions = new double[jointNames.length];
        velocities = new double[jointNames.length];
        scratchPositions = new double[jointNames.length];
        scratchVelocities = new double[jointNames.length];
        goal = new double[goalSize];
        readPositions = new double[jointNames.length];
        readVelocities = new double[jointNames.length];
        readGoal = new double[goalSize];
    }

    /** From joint_states' thread (one at a time); false when the message lacks joints ({@link #missing()} says which). */
    boolean putJoints(JointState m) {
        if (!joints.read(m, scratchPositions, scratchVelocities)) return false;
        long stamp = lock.writeLock();
        try {
            System.arraycopy(scratchPositions, 0, positions, 0, positions.length);
            System.arraycopy(scratchVelocities, 0, velocities, 0, velocities.length);
            haveJoints = true;
            if (haveGoal) completeAt = System.nanoTime();
        } finally {
            lock.unlockWrite(stamp);
        }
        return true;
    }

    String missing() {
        return joints.missing();
    }

    /** From task/state's thread; the caller checked the length. */
    void putGoal(double[] g) {
        long stamp = lock.writeLock();
        try {
            System.arraycopy(g, 0, goal, 0, goal.length);
            haveGoal = true;
            if (haveJoints) completeAt = System.nanoTime();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    int goalSize() {
        return goal.length;
    }

    long completeAt() {
        return completeAt;
    }

    /**
     * Copies the newest observation into p, v, g and returns true; false when none has come yet or
     * writes kept overlapping the read (p, v, g are then left as they were: the previous one).
     */
    boolean read(double[] p, double[] v, double[] g) {
        for (int attempt = 0; attempt < 4; attempt++) {
            long stamp = lock.tryOptimisticRead();
            if (stamp == 0) continue;   // a write holds it right now
            boolean complete = haveJoints && haveGoal;
            System.arraycopy(positions, 0, readPositions, 0, positions.length);
            System.arraycopy(velocities, 0, readVelocities, 0, velocities.length);
            System.arraycopy(goal, 0, readGoal, 0, goal.length);
            if (!lock.validate(stamp)) continue;
            if (!complete) return false;
            System.arraycopy(readPositions, 0, p, 0, p.length);
            System.arraycopy(readVelocities, 0, v, 0, v.length);
            System.arraycopy(readGoal, 0, g, 0, g.length);
            return true;
        }
        return false;
    }
}
