package org.teachlearn.robot.urdf;

import java.util.List;

/** A rigid body of the robot. */
public record Link(String name, Inertial inertial, List<Shape> visuals, List<Shape> collisions) {
}
