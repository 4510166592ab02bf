package org.teachlearn.web;

/**
 * Where the server hands what the driving browser sends: the node publishes it on ROS. Called by
 * one connection's thread at a time (the server serialises them), never for a refused frame.
 */
public interface ControllerSink {

    /**
     * A checked frame from the driving browser. {@code sampleNanoTime} is when the page read the pose,
     * on this machine's {@link System#nanoTime()} clock (clock offset estimated, never in the future).
     */
    void frame(ControllerFrame frame, long sampleNanoTime);

    /** The driver is gone or silent ({@code why}): publish the buttons released so nothing stays clutched. */
    void released(String why);

    void info(String message);

    void warn(String message);
}
