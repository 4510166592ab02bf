package org.teachlearn.learn.data;

import java.util.Locale;
import java.util.SplittableRandom;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.kinematics.BaseAxis;

/**
 * More demonstrations from the ones there are, by a symmetry of the arm: turning its first joint
 * by δ turns everything it does about its vertical base axis ({@link BaseAxis}), so a demonstrated
 * state with the arm, the table and the goal's objects turned together by δ is a state of the
 * same task, and the demonstrated action, relative to the joint positions (the layout's action
 * map), is its action unchanged. Each sample is added {@code copies} more times, each turned by an
 * angle drawn uniformly within ±{@code maxTurn}; turns that would carry a goal point outside the
 * region the demonstrations' goals cover (each point's x–y bounding box: the task's layout, not
 * places no one showed), or the first joint past its limits, are drawn again. Fifty
 * demonstrations of pick and place then show the same grasps and carries at every heading between
 * their cube's and target's, where without it every heading was a different task to learn.
 *
 * <p>The observation's goal points and yaw turn with the scene; the joint velocities, the gripper
 * and heights do not; the derived inputs (the hand feature) are computed again from the turned
 * joints and goal by the layout, the one observation builder. Rows of several observations (a
 * history) turn every frame by the same angle.
 */
public final class BaseTurns {

    /** Draws per copy before that copy is given up (a sample whose goal points span the whole region turns hardly at all). */
    static final int DRAWS = 20;

    private final PolicyLayout layout;
    private final BaseAxis axis;
    private final int[] points;
    private final int yawAt;
    private final int arm, goalAt;
    private final double lower, upper;

    /** What was added, and how many copies found no turn that kept their goals in the region. */
    public record Result(int added, int missed, double meanTurn) {

        public String describe(int copies, double maxTurn) {
            return String.format(Locale.ROOT, "%d samples turned about the arm's base axis (--turns %d within ±%.2f rad, mean |turn| %.2f rad)%s",
                    added, copies, maxTurn, meanTurn, missed > 0 ? ", " + missed + " copies found no turn keeping the goal where demonstrations went" : "");
        }
    }

    /**
     * Turns for observations of {@code layout} about {@code axis}; the goal's points (x, y) start at
     * {@code points}, a yaw at {@code yawAt} (−1: none); the first joint stays within
     * [{@code lower}, {@code upper}].
     */
    public BaseTurns(PolicyLayout layout, BaseAxis axis, int[] points, int yawAt, double lower, double upper) {
        for (int p : points) {
            if (p < 0 || p + 2 > layout.goalSize()) throw new IllegalArgumentException("goal point at " + p + " is past the goal's " + layout.goalSize() + " values");
        }
        if (yawAt >= layout.goalSize()) throw new IllegalArgumentException("goal yaw at " + yawAt + " is past the goal's " + layout.goalSize() + " values");
        this.layout = layout;
        this.axis = axis;
        this.points = points.clone();
        this.yawAt = yawAt;
        arm = layout.armJoints().length;
        goalAt = 2 * arm + (layout.gripperJoint() != null ? 1 : 0);
        this.lower = lower;
        this.upper = upper;
    }

    /** Adds {@code copies} turned copies of each of {@code data}'s rows to it, seeded. */
    public Result addTo(Dataset data, int copies, double maxTurn, long seed) {
        return addTo(data, 0, copies, maxTurn, seed);
    }

    /** As above for the rows from {@code first} on (those just added; earlier ones, a DAgger's labels say, stay as they are). */
    public Result addTo(Dataset data, int first, int copies, double maxTurn, long seed) {
        if (copies < 0 || copies > 100) throw new IllegalArgumentException("--turns must be 0..100, got " + copies);
        if (!(maxTurn > 0) || maxTurn > Math.PI) throw new IllegalArgumentException("--turn-range must be in (0, π] rad, got " + maxTurn);
        int od = layout.observationSize(), rowDim = data.obsDim(), frames = rowDim / od, rows = data.size(), width = data.actDim();
        if (first < 0 || first > rows) throw new IllegalArgumentException("row " + first + " is not in a dataset of " + rows);
        if (frames * od != rowDim) throw new IllegalArgumentException("rows of " + rowDim + " inputs are not observations of " + od);
        if (copies == 0 || rows == first) return new Result(0, 0, 0);
        double[] box = region(data, first, od, frames);
        data.reserve(rows + (rows - first) * copies);
        double[] row = new double[rowDim], q = new double[arm], dq = new double[arm], goal = new double[layout.goalSize()], u = new double[width];
        SplittableRandom random = new SplittableRandom(seed);
        int added = 0, missed = 0;
        double turned = 0;
        for (int r = first; r < rows; r++) {
            for (int c = 0; c < copies; c++) {
                boolean found = false;
                for (int draw = 0; draw < DRAWS && !found; draw++) {
                    double delta = maxTurn * (2 * random.nextDouble() - 1);
                    found = turn(data.observations(), r * rowDim, od, frames, delta, box, row, q, dq, goal);
                    if (found) turned += Math.abs(delta);
                }
                if (!found) {
                    missed++;
                    continue;
                }
                System.arraycopy(data.targets(), r * width, u, 0, width);   // relative to the joints: the same action turned
                data.addTarget(row, 0, u, 0);
                added++;
            }
        }
        return new Result(added, missed, added > 0 ? turned / added : 0);
    }

    /** Per goal point, the x–y box its values span over the rows: min x, max x, min y, max y. */
    private double[] region(Dataset data, int first, int od, int frames) {
        double[] box = new double[4 * points.length];
        for (int p = 0; p < points.length; p++) {
            box[4 * p] = box[4 * p + 2] = Double.POSITIVE_INFINITY;
            box[4 * p + 1] = box[4 * p + 3] = Double.NEGATIVE_INFINITY;
        }
        double[] obs = data.observations();
        for (int r = first; r < data.size(); r++) {
            for (int f = 0; f < frames; f++) {
                int at = (r * frames + f) * od + goalAt;
                for (int p = 0; p < points.length; p++) {
                    double x = obs[at + points[p]], y = obs[at + points[p] + 1];
                    box[4 * p] = Math.min(box[4 * p], x);
                    box[4 * p + 1] = Math.max(box[4 * p + 1], x);
                    box[4 * p + 2] = Math.min(box[4 * p + 2], y);
                    box[4 * p + 3] = Math.max(box[4 * p + 3], y);
                }
            }
        }
        return box;
    }

    /** Row {@code from} of {@code obs} turned by the joint angle {@code delta} into {@code out}; false where a goal point leaves the box or the joint its limits. */
    private boolean turn(double[] obs, int from, int od, int frames, double delta, double[] box,
            double[] out, double[] q, double[] dq, double[] goal) {
        double scene = axis.sign() * delta;   // how the world turns when the first joint turns by delta
        for (int f = 0; f < frames; f++) {
            int at = from + f * od;
            System.arraycopy(obs, at, q, 0, arm);
            System.arraycopy(obs, at + arm, dq, 0, arm);
            double opening = layout.gripperJoint() != null ? obs[at + 2 * arm] : 0;
            System.arraycopy(obs, at + goalAt, goal, 0, goal.length);
            q[0] += delta;
            if (q[0] < lower || q[0] > upper) return false;
            for (int p = 0; p < points.length; p++) {
                axis.turn(goal, points[p], scene);
                double x = goal[points[p]], y = goal[points[p] + 1];
                if (x < box[4 * p] || x > box[4 * p + 1] || y < box[4 * p + 2] || y > box[4 * p + 3]) return false;
            }
            if (yawAt >= 0) goal[yawAt] = foldQuarter(goal[yawAt] + scene);
            layout.observe(q, dq, opening, goal, out, f * od);
        }
        return true;
    }

    /** An angle folded into [−π/4, π/4): a cube looks the same every quarter turn. */
    static double foldQuarter(double yaw) {
        double quarter = Math.PI / 2;
        return yaw - quarter * Math.floor((yaw + Math.PI / 4) / quarter);
    }
}
