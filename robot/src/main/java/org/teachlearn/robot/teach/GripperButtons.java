package org.teachlearn.robot.teach;

/**
 * The gripper from a joystick's buttons while a person guides the arm ({@code teach/joy}): a
 * press of the toggle button opens a closed gripper and closes an open one; the open and close
 * buttons do what they say. Only a press counts (the button's edge from released to pressed), so
 * holding a button down sends one command. Buttons are indices into sensor_msgs/Joy's
 * {@code buttons}; −1 for none. Allocation-free.
 */
public final class GripperButtons {

    private final int toggle, open, close;
    private final double openWidth;
    private boolean toggleWas, openWas, closeWas;
    private boolean isOpen = true;

    /** @param openWidth each finger's opening (m) when open; closed is 0 */
    public GripperButtons(int toggle, int open, int close, double openWidth) {
        this.toggle = toggle;
        this.open = open;
        this.close = close;
        this.openWidth = openWidth;
    }

    /** The gripper as measured ({@code opening} m per finger): the next toggle goes the other way. */
    public void measured(double opening) {
        isOpen = opening > openWidth / 2;
    }

    /** The opening to command after this Joy message's {@code buttons} (m per finger), or NaN for no change. */
    public double update(int[] buttons) {
        boolean t = pressed(buttons, toggle), o = pressed(buttons, open), c = pressed(buttons, close);
        double out = Double.NaN;
        if (t && !toggleWas) isOpen = !isOpen;
        if (o && !openWas) isOpen = true;
        if (c && !closeWas) isOpen = false;
        if ((t && !toggleWas) || (o && !openWas) || (c && !closeWas)) out = isOpen ? openWidth : 0;
        toggleWas = t;
        openWas = o;
        closeWas = c;
        return out;
    }

    /** Whether a press was asked of a button this Joy message does not have (a wrong index). */
    public String check(int[] buttons) {
        int max = Math.max(toggle, Math.max(open, close));
        return max >= buttons.length ? "teach/joy has " + buttons.length + " buttons, but button " + max
                + " is configured (~gripper_button, ~gripper_open_button, ~gripper_close_button; -1 for none)" : null;
    }

    private static boolean pressed(int[] buttons, int i) {
        return i >= 0 && i < buttons.length && buttons[i] != 0;
    }
}
