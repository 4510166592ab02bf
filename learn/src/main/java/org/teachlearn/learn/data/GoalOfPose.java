package org.teachlearn.learn.data;

/** The goal that arm pose {@code q} reaches (for reach, the hand's position): what hindsight relabelling puts in a goal's place. */
public interface GoalOfPose {
    void goal(double[] q, double[] out);
}
