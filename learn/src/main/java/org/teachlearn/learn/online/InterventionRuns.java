package org.teachlearn.learn.online;

import java.util.HashMap;
import java.util.Map;

/**
 * Labels a person's interventions by the motion they made rather than by the commands that made
 * it: each run of consecutive intervention rows of one worker's episode is kept until it ends,
 * then every row is labelled with the arm's position {@code lookahead} steps later in the run
 * (the run's last position beyond its end), the gripper as commanded. A teleoperation servo's
 * commands sit just ahead of the arm, so cloning them teaches a policy to creep (docs/nodes.md §13,
 * "motion" labels); the motion a person drove is what to imitate. Rows reach the {@link Sink} in
 * order, once their run is over; a run longer than {@code maxRun} rows is cut there.
 */
public final class InterventionRuns {

    /** Where a labelled row goes: the observation and the label in command units (arm targets, then the gripper). */
    public interface Sink {
        void add(double[] obs, double[] label);
    }

    private static final class Run {
        int episode = -1, rows;
        final float[] obs, labels, last;

        Run(int maxRun, int obsDim, int actDim) {
            obs = new float[maxRun * obsDim];
            labels = new float[maxRun * actDim];
            last = new float[obsDim];
        }
    }

    private final int obsDim, actDim, arm, lookahead, maxRun;
    private final Map<String, Run> runs = new HashMap<>();
    private final double[] obsRow, labelRow;

    /** {@code arm}: arm joints, whose positions lead the observation; {@code lookahead}: steps ahead. */
    public InterventionRuns(int obsDim, int actDim, int arm, int lookahead, int maxRun) {
        if (arm > actDim || arm > obsDim || lookahead < 1 || maxRun < 1) {
            throw new IllegalArgumentException("intervention runs need arm <= act_dim, obs_dim, lookahead >= 1 and maxRun >= 1");
        }
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.arm = arm;
        this.lookahead = lookahead;
        this.maxRun = maxRun;
        obsRow = new double[obsDim];
        labelRow = new double[actDim];
    }

    /** Row {@code r} of {@code b}, in the worker's order: an intervention row joins its run; any other row ends it. */
    public void row(Batch b, int r, Sink sink) {
        Run run = runs.computeIfAbsent(b.worker, w -> new Run(maxRun, obsDim, actDim));
        boolean person = b.intervention[r] == 1 && b.labelled(r);
        if (run.rows > 0 && (!person || b.episode[r] != run.episode || run.rows == maxRun)) flush(run, sink);
        if (!person) return;
        run.episode = b.episode[r];
        System.arraycopy(b.obs, r * obsDim, run.obs, run.rows * obsDim, obsDim);
        System.arraycopy(b.expertAction, r * actDim, run.labels, run.rows * actDim, actDim);
        System.arraycopy(b.nextObs, r * obsDim, run.last, 0, obsDim);
        run.rows++;
        if (b.done[r] != 0) flush(run, sink);
    }

    /** Rows of unfinished runs (waiting for their end). */
    public int pending() {
        int n = 0;
        for (Run run : runs.values()) n += run.rows;
        return n;
    }

    private void flush(Run run, Sink sink) {
        for (int i = 0; i < run.rows; i++) {
            for (int k = 0; k < obsDim; k++) obsRow[k] = run.obs[i * obsDim + k];
            int ahead = i + lookahead;
            for (int j = 0; j < actDim; j++) labelRow[j] = run.labels[i * actDim + j];
            for (int j = 0; j < arm; j++) labelRow[j] = ahead < run.rows ? run.obs[ahead * obsDim + j] : run.last[j];
            sink.add(obsRow, labelRow);
        }
        run.rows = 0;
        run.episode = -1;
    }
}
