package org.teachlearn.robot.urdf;

/** A visual or collision shape. Meshes keep their file and scale; the simulator bounds them by a box. */
public sealed interface Geometry {
    record Box(double x, double y, double z) implements Geometry { }

    record Cylinder(double radius, double length) implements Geometry { }

    record Sphere(double radius) implements Geometry { }

    record Mesh(String filename, double sx, double sy, double sz) implements Geometry { }
}
