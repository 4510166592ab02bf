package org.teachlearn.ros.record;

/**
 * Turns a joystick's button array into presses: a button acts once when it goes down, not on every
 * message while it is held (a Joy topic repeats its state at 50–100 Hz).
 */
public final class ButtonEdges {

    private boolean[] down = new boolean[0];

    /** Whether button {@code index} went down since the last message; call once per message per button of interest, then {@link #remember}. */
    public boolean pressed(int[] buttons, int index) {
        if (index < 0 || index >= buttons.length) return false;
        return buttons[index] != 0 && (index >= down.length || !down[index]);
    }

    /** Keeps this message's buttons as the state the next one is compared with. */
    public void remember(int[] buttons) {
        if (down.length != buttons.length) down = new boolean[buttons.length];
        for (int i = 0; i < buttons.length; i++) down[i] = buttons[i] != 0;
    }
}
