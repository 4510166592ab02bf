package org.teachlearn.robot.urdf;

/** A robot description that cannot be used; the message names the element and what is wrong. */
public class UrdfException extends RuntimeException {
    public UrdfException(String message) {
        super(message);
    }
}
