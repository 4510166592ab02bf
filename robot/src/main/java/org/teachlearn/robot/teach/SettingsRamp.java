package org.teachlearn.robot.teach;

/**
 * Moves the live settings from the old values to newly set ones over {@code ramp_time}, along a
 * smooth step (zero slope at both ends), so no parameter change makes the arm jump — the
 * complaint about admittance controllers that switch gains at once. A change that arrives during a
 * ramp starts a new ramp from where the live values are. {@link #set} may come from any thread
 * (dynamic_reconfigure, a service); {@link #advance} runs on the control tick and allocates nothing.
 */
public final class SettingsRamp {

    private final DragSettings live;
    private final double[] from = new double[DragSettings.COUNT];
    private volatile DragSettings target;
    private DragSettings ramping;   // the target the current ramp heads for (tick thread only)
    private double elapsed, duration;

    public SettingsRamp(DragSettings initial) {
        live = initial.live();
        target = initial;
        ramping = initial;
    }

    /** The values to use now (read them only on the tick's thread). */
    public DragSettings live() {
        return live;
    }

    /** The values set last, which the live ones reach at the end of the ramp. */
    public DragSettings target() {
        return target;
    }

    /** New settings: the live values ramp to them from the next {@link #advance}. */
    public void set(DragSettings next) {
        target = next;
    }

    /** Takes {@code dt} seconds of ramp; true while ramping. */
    public boolean advance(double dt) {
        DragSettings t = target;
        if (t != ramping) {   // a new target: ramp from wherever the live values are now
            System.arraycopy(live.v, 0, from, 0, from.length);
            ramping = t;
            elapsed = 0;
            duration = t.v[DragSettings.RAMP_TIME];
        }
        if (elapsed >= duration) {
            System.arraycopy(ramping.v, 0, live.v, 0, from.length);
            return false;
        }
        elapsed += dt;
        double s = Math.min(1, elapsed / duration);
        double w = s * s * (3 - 2 * s);
        double[] to = ramping.v, out = live.v;
        for (int i = 0; i < out.length; i++) out[i] = from[i] + w * (to[i] - from[i]);
        return s < 1;
    }

    /** Jumps to the target at once (start-up, before anything is commanded). */
    public void settle() {
        ramping = target;
        elapsed = duration = 0;
        System.arraycopy(ramping.v, 0, live.v, 0, from.length);
    }
}
