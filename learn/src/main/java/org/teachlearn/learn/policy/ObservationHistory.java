package org.teachlearn.learn.policy;

/**
 * What a history policy sees: its last H observations, S control periods apart, newest first
 * (frame i is the observation of i·S periods ago), so the row's first frame is the present state
 * and everything that reads an observation row from its start (the action map) reads the present.
 * Before the episode's first observation the frames repeat that first one. {@link #push} and
 * {@link #stacked} serve a running episode; {@link #stack} builds the same rows from a recorded
 * one. Pushing and stacking allocate nothing; not thread-safe.
 */
public final class ObservationHistory {

    private final int od, frames, stride, capacity;
    private final double[] ring;
    private long pushed;   // observations pushed since the episode started

    public ObservationHistory(int od, int frames, int stride) {
        check(frames, stride);
        this.od = od;
        this.frames = frames;
        this.stride = stride;
        this.capacity = (frames - 1) * stride + 1;
        this.ring = new double[capacity * od];
    }

    /** Refuses a history of fewer than one frame or a stride below one period, saying what to give. */
    public static void check(int frames, int stride) {
        if (frames < 1) throw new IllegalArgumentException("--history must be at least 1 observation, got " + frames);
        if (stride < 1) throw new IllegalArgumentException("--history-stride must be at least 1 control period, got " + stride);
    }

    /** Width of a stacked row: H observations. */
    public int width() {
        return frames * od;
    }

    /** A new episode: its first observation fills the frames before it. */
    public void reset() {
        pushed = 0;
    }

    /** The observation of the present control period ({@code od} values from {@code offset}). */
    public void push(double[] obs, int offset) {
        System.arraycopy(obs, offset, ring, (int) (pushed % capacity) * od, od);
        pushed++;
    }

    /** The stacked row of the last observation pushed into {@code out} from {@code offset}. */
    public void stacked(double[] out, int offset) {
        if (pushed == 0) throw new IllegalStateException("no observation pushed since the episode started");
        long now = pushed - 1;
        for (int i = 0; i < frames; i++) {
            long t = Math.max(0, now - (long) i * stride);
            System.arraycopy(ring, (int) (t % capacity) * od, out, offset + i * od, od);
        }
    }

    /**
     * The stacked row of step {@code t} of a recorded episode ({@code episode}: its observations row
     * after row, {@code od} wide) into {@code out} from {@code offset}.
     */
    public static void stack(double[] episode, int t, int od, int frames, int stride, double[] out, int offset) {
        for (int i = 0; i < frames; i++) System.arraycopy(episode, Math.max(0, t - i * stride) * od, out, offset + i * od, od);
    }
}
