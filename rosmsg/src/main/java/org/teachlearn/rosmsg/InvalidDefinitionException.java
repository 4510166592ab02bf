package org.teachlearn.rosmsg;

/** A .msg/.srv definition that ROS would refuse; the message names the type and the line. */
public class InvalidDefinitionException extends RuntimeException {
    public InvalidDefinitionException(String message) {
        super(message);
    }
}
