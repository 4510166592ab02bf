package org.teachlearn.web;

/**
 * One frame of the operator's controller as the page sends it: the grip pose in the WebXR
 * tracking frame (local-floor: y up, metres), the buttons and axes in {@code vr/joy}'s layout, and
 * when the page read the pose (its own clock). Filled in place by {@link FrameDecoder}.
 *
 * <p>The layout of {@code vr/joy} (docs/nodes.md §17) is fixed here, once, for the page, the desktop
 * page and the node:
 * buttons {@code [0 grip (the clutch), 1 A/X, 2 B/Y, 3 trigger pressed, 4 thumbstick pressed]},
 * axes {@code [0 trigger 0..1, 1 grip 0..1, 2 thumbstick x, 3 thumbstick y (forward +)]}.
 */
public final class ControllerFrame {

    public static final int BUTTON_GRIP = 0, BUTTON_A = 1, BUTTON_B = 2, BUTTON_TRIGGER = 3, BUTTON_THUMBSTICK = 4;
    public static final int BUTTONS = 5;
    public static final int AXIS_TRIGGER = 0, AXIS_GRIP = 1, AXIS_STICK_X = 2, AXIS_STICK_Y = 3;
    public static final int AXES = 4;

    /** The page's frame number: 0, 1, 2 ... for one connection; a gap is a frame the page did not send. */
    public long seq;
    /** When the page read the pose, in ms on the page's {@code performance.now()} clock. */
    public double sampleMillis;
    /** False while the headset has lost the controller (the pose is not published then). */
    public boolean tracked;
    /** True when the runtime only estimates the position (WebXR {@code emulatedPosition}). */
    public boolean emulatedPosition;
    public final double[] position = new double[3];
    /** x, y, z, w; unit length once decoded. */
    public final double[] orientation = new double[4];
    public final int[] buttons = new int[BUTTONS];
    public final float[] axes = new float[AXES];

    /** All buttons up, axes at rest: what the node publishes when the driver goes away. */
    public void release() {
        java.util.Arrays.fill(buttons, 0);
        java.util.Arrays.fill(axes, 0f);
    }
}
