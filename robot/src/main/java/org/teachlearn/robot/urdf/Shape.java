package org.teachlearn.robot.urdf;

/** A geometry placed in its link's frame. */
public record Shape(Pose origin, Geometry geometry) {
}
