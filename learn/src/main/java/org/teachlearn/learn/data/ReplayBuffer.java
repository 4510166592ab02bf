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
 *
 * <p>Made {@link #linkingEpisodes linking episodes}, it also remembers which transition followed
 * which in an episode, so that a sample can take a later state of its own episode as its goal
 * ({@link Hindsight}).
 */
public final class ReplayBuffer {

    private final int capacity, obsDim, actDim;
    private final double[] obs, actions, rewards, next;
    private final boolean[] terminal;
    private int[] successor;      // linking episodes: the slot of the episode's next transition, or -1
    private int[] lastOfStream;   // linking episodes: per stream (environment), the slot of its episode's latest transition, or -1
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

    /**
     * Remembers, from now on, which transition follows which within an episode of each of
     * {@code streams} environments (the {@code row} of {@link #add}); returns this buffer.
     */
    public ReplayBuffer linkingEpisodes(int streams) {
        if (capacity <= streams) throw new IllegalArgumentException("a replay buffer linking the episodes of " + streams + " environments needs more than " + streams + " slots");
        successor = new int[capacity];
        java.util.Arrays.fill(successor, -1);
        lastOfStream = new int[streams];
        java.util.Arrays.fill(lastOfStream, -1);
        return this;
    }

    /** Bytes a buffer of this shape holds. */
    public static long bytes(long capacity, int obsDim, int actDim) {
        return capacity * (8L * (2L * obsDim + actDim + 1) + 1);
    }

    /** Adds row {@code row} of each array (observations and next observations raw); the oldest goes when full. */
    public void add(double[] o, double[] u, double reward, double[] nextObs, boolean isTerminal, int row) {
        add(o, u, reward, nextObs, isTerminal, row, isTerminal);
    }

    /**
     * As above, saying whether the episode of environment {@code row} ends with this transition
     * (terminal or cut by its time limit): a buffer linking episodes starts a new one after it.
     */
    public void add(double[] o, double[] u, double reward, double[] nextObs, boolean isTerminal, int row, boolean episodeEnds) {
        if (successor != null) {
            // the oldest slot goes first, so a surviving transition's successors (newer) survive too
            successor[head] = -1;
            if (lastOfStream[row] >= 0) successor[lastOfStream[row]] = head;
            lastOfStream[row] = episodeEnds ? -1 : head;
        }
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

    /** Every environment's episode ends here (they are restarted): what comes next starts new ones. */
    public void endEpisodes() {
        if (lastOfStream != null) java.util.Arrays.fill(lastOfStream, -1);
    }

    /** As above into rows {@code from} .. {@code from + n} (a minibatch drawn from two buffers). */
    public void sample(int n, Rng rng, double[] oOut, double[] uOut, double[] rOut, double[] nextOut, double[] notDone, int from) {
        sample(n, rng, oOut, uOut, rOut, nextOut, notDone, from, null);
    }

    /**
     * As above, with {@code hindsight} (if not null) giving a share of the samples a goal reached
     * later in their own episode. Needs a buffer {@link #linkingEpisodes linking episodes}.
     */
    public void sample(int n, Rng rng, double[] oOut, double[] uOut, double[] rOut, double[] nextOut, double[] notDone, int from, Hindsight hindsight) {
        if (size == 0) throw new IllegalStateException("sampling an empty replay buffer");
        if (hindsight != null && successor == null) throw new IllegalStateException("hindsight goals need a buffer linking episodes");
        for (int b = from; b < from + n; b++) {
            int i = rng.nextInt(size);
            System.arraycopy(obs, i * obsDim, oOut, b * obsDim, obsDim);
            System.arraycopy(actions, i * actDim, uOut, b * actDim, actDim);
            System.arraycopy(next, i * obsDim, nextOut, b * obsDim, obsDim);
            rOut[b] = rewards[i];
            notDone[b] = terminal[i] ? 0 : 1;
            if (hindsight != null && rng.nextDouble() < hindsight.share()) {
                int later = laterInEpisode(i, rng);
                hindsight.relabel(next, later * obsDim, oOut, nextOut, b * obsDim, rOut, notDone, b);
            }
        }
    }

    /** A transition drawn uniformly from slot {@code i} and those after it in its episode (as far as this buffer holds it). */
    private int laterInEpisode(int i, Rng rng) {
        int count = 1;
        for (int s = successor[i]; s >= 0; s = successor[s]) count++;
        int pick = rng.nextInt(count), s = i;
        for (int k = 0; k < pick; k++) s = successor[s];
        return s;
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
        if (successor != null) {
            for (int i = 0; i < size; i++) out.writeInt(successor[i]);
        }
    }

    /** Reads what {@link #write} wrote into a buffer of the same shape (linking episodes if the writer's did). */
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
        if (successor != null) {   // a run linking episodes wrote them (the same options resume it)
            for (int i = 0; i < size; i++) successor[i] = in.readInt();
            endEpisodes();   // checkpoints are written after the environments restart
        }
    }
}
