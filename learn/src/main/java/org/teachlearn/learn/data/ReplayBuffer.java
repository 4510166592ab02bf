package org.teachlearn.learn.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.teachlearn.learn.Rng;

/**
 * The off-policy learners' memory: the last {@code capacity} transitions (raw observation, output
 * u, reward, raw next observation, whether the next state is terminal), in one preallocated block
 * each. Observations are kept raw, not normalised, so a sample is normalised with the statistics
 * of the moment it is learned from. Adding and sampling allocate nothing. Saved whole in a
 * checkpoint, so a resumed run learns from exactly what the killed one would have.
 */
public final class ReplayBuffer {

    private final int capacity, obsDim, actDim;
    private final double[] obs, actions, rewards, next;
    private final boolean[] terminal;
    private int size, head;
    private long added;

    public ReplayBuffer(int capacity, int obsDim, int actDim) {
        if (capacity < 1) throw new IllegalArgumentException("a replay buffer needs a capacity of at least 1, got " + capacity);
        if ((long) capacity * Math.max(obsDim, actDim) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a replay buffer of " + capacity + " transitions of " + obsDim + " observations exceeds one Java array: lower --buffer");
        }
        long bytes = bytes(capacity, obsDim, actDim);
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 2) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "a replay buffer of %d transitions takes %d MB, more than half of this JVM's %d MB heap: lower --buffer or raise -Xmx",
                    capacity, bytes >> 20, heap >> 20));
        }
        this.capacity = capacity;
        this.obsDim = obsDim;
        this.actDim = actDim;
        obs = new double[capacity * obsDim];
        actions = new double[capacity * actDim];
        rewards = new double[capacity];
        next = new double[capacity * obsDim];
        terminal = new boolean[capacity];
    }

    /** Bytes a buffer of this shape holds. */
    public static long bytes(long capacity, int obsDim, int actDim) {
        return capacity * (8L * (2L * obsDim + actDim + 1) + 1);
    }

    /** Adds row {@code row} of each array (observations and next observations raw); the oldest goes when full. */
    public void add(double[] o, double[] u, double reward, double[] nextObs, boolean isTerminal, int row) {
        System.arraycopy(o, row * obsDim, obs, head * obsDim, obsDim);
        System.arraycopy(u, row * actDim, actions, head * actDim, actDim);
        System.arraycopy(nextObs, row * obsDim, next, head * obsDim, obsDim);
        rewards[head] = reward;
        terminal[head] = isTerminal;
        head = (head + 1) % capacity;
        if (size < capacity) size++;
        added++;
    }

    /**
     * {@code n} transitions drawn uniformly with replacement into the given arrays (rows of
     * {@code obsDim}/{@code actDim}); {@code notDone} is 0 after a terminal state, else 1.
     */
    public void sample(int n, Rng rng, double[] oOut, double[] uOut, double[] rOut, double[] nextOut, double[] notDone) {
        sample(n, rng, oOut, uOut, rOut, nextOut, notDone, 0);
    }

    /** As above into rows {@code from} .. {@code from + n} (a minibatch drawn from two buffers). */
    public void sample(int n, Rng rng, double[] oOut, double[] uOut, double[] rOut, double[] nextOut, double[] notDone, int from) {
        if (size == 0) throw new IllegalStateException("sampling an empty replay buffer");
        for (int b = from; b < from + n; b++) {
            int i = rng.nextInt(size);
            System.arraycopy(obs, i * obsDim, oOut, b * obsDim, obsDim);
            System.arraycopy(actions, i * actDim, uOut, b * actDim, actDim);
            System.arraycopy(next, i * obsDim, nextOut, b * obsDim, obsDim);
            rOut[b] = rewards[i];
            notDone[b] = terminal[i] ? 0 : 1;
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Transitions ever added (also those since overwritten). */
    public long added() {
        return added;
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(obsDim);
        out.writeInt(actDim);
        out.writeInt(size);
        out.writeInt(head);
        out.writeLong(added);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < obsDim; j++) out.writeDouble(obs[i * obsDim + j]);
            for (int j = 0; j < actDim; j++) out.writeDouble(actions[i * actDim + j]);
            for (int j = 0; j < obsDim; j++) out.writeDouble(next[i * obsDim + j]);
            out.writeDouble(rewards[i]);
            out.writeBoolean(terminal[i]);
        }
    }

    /** Reads what {@link #write} wrote into a buffer of the same shape. */
    public void read(DataInputStream in) throws IOException {
        int c = in.readInt(), od = in.readInt(), ad = in.readInt();
        if (c != capacity || od != obsDim || ad != actDim) {
            throw new IOException("the saved replay buffer holds " + c + " transitions of " + od + "+" + ad + " values; this run's holds " + capacity
                    + " of " + obsDim + "+" + actDim);
        }
        size = in.readInt();
        head = in.readInt();
        added = in.readLong();
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < obsDim; j++) obs[i * obsDim + j] = in.readDouble();
            for (int j = 0; j < actDim; j++) actions[i * actDim + j] = in.readDouble();
            for (int j = 0; j < obsDim; j++) next[i * obsDim + j] = in.readDouble();
            rewards[i] = in.readDouble();
            terminal[i] = in.readBoolean();
        }
    }
}
