package org.teachlearn.learn.data;

import java.util.Locale;
import java.util.SplittableRandom;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.kinematics.ArmMirror;
import org.teachlearn.robot.kinematics.BaseAxis;
import org.teachlearn.robot.sim.Task;

/**
 * More demonstrations from the ones there are, by symmetries of the arm and its scene. Turning the
 * arm's first joint by δ turns everything it does about its vertical base axis ({@link BaseAxis}),
 * so a demonstrated state with the arm, the table and the goal's objects turned together is a
 * state of the same task, and its action, relative to the joint positions (the layout's action
 * map), is the same action. An arm built mirror-symmetric ({@link ArmMirror}) gives a second one:
 * the mirror image, some joints' positions, velocities and actions negated (the last one maybe
 * also turned: the hand's own symmetry), the goal's points mirrored and a yaw negated.
 *
 * <p>With the mirror, each sample is first added mirrored; then each sample (and mirror image) is
 * added {@code copies} more times turned by an angle drawn uniformly within ±{@code maxTurn}.
 * Images that would carry a goal point outside the region the demonstrations' goals cover (each
 * point's x–y bounding box: the task's layout, not places no one showed) or a joint past its
 * limits are drawn again, then given up. Fifty demonstrations of pick and place then show the same
 * grasps and carries at every heading between their cube's and target's, and their mirror images.
 *
 * <p>Heights, the gripper and the unflipped joints stay; the derived inputs (the hand feature) are
 * computed again from the new joints and goal by the layout, the one observation builder. Rows of
 * several observations (a history) transform every frame alike.
 */
public final class ArmSymmetries {

    /** Draws per copy before that copy is given up (a sample whose goal points span the whole region turns hardly at all). */
    static final int DRAWS = 20;

    private final PolicyLayout layout;
    private final BaseAxis axis;
    private final ArmMirror mirror;
    private final int[] points;
    private final int yawAt;
    private final int arm, goalAt;
    private final double[] lower, upper;

    /** What was added, and how many images were given up. */
    public record Result(int mirrored, int added, int missed, double meanTurn) {

        public String describe(int copies, double maxTurn) {
            String m = mirrored > 0 ? mirrored + " samples mirrored (--mirror)" : "";
            String t = copies == 0 ? "" : String.format(Locale.ROOT, "%d samples turned about the arm's base axis (--turns %d within ±%.2f rad, mean |turn| %.2f rad)",
                    added, copies, maxTurn, meanTurn);
            return m + (m.isEmpty() || t.isEmpty() ? "" : "; ") + t + (missed > 0 ? "; " + missed + " images left out: they would take a goal point"
                    + " outside the region the demonstrations' goals cover, or a joint past its limits" : "");
        }
    }

    /**
     * Symmetries for observations of {@code layout} about {@code axis}, mirrored by {@code mirror}
     * (null: none); the goal's points (x, y) start at {@code points}, a yaw at {@code yawAt} (−1:
     * none); the arm's joints stay within the limits of the layout's action map (the URDF's).
     */
    public ArmSymmetries(PolicyLayout layout, BaseAxis axis, ArmMirror mirror, int[] points, int yawAt) {
        for (int p : points) {
            if (p < 0 || p + 2 > layout.goalSize()) throw new IllegalArgumentException("goal point at " + p + " is past the goal's " + layout.goalSize() + " values");
        }
        if (yawAt >= layout.goalSize()) throw new IllegalArgumentException("goal yaw at " + yawAt + " is past the goal's " + layout.goalSize() + " values");
        arm = layout.armJoints().length;
        if (mirror != null && mirror.flips().length != arm) throw new IllegalArgumentException("a mirror of " + mirror.flips().length + " joints; the arm has " + arm);
        this.layout = layout;
        this.axis = axis;
        this.mirror = mirror;
        this.points = points.clone();
        this.yawAt = yawAt;
        goalAt = 2 * arm + (layout.gripperJoint() != null ? 1 : 0);
        lower = java.util.Arrays.copyOf(layout.actions().low(), arm);
        upper = java.util.Arrays.copyOf(layout.actions().high(), arm);
    }

    /** Adds the images of {@code data}'s rows from {@code first} on (those just added; earlier ones, a DAgger's labels say, stay as they are); seeded. */
    public Result addTo(Dataset data, int first, int copies, double maxTurn, long seed) {
        if (copies < 0 || copies > 100) throw new IllegalArgumentException("--turns must be 0..100, got " + copies);
        if (!(maxTurn > 0) || maxTurn > Math.PI) throw new IllegalArgumentException("--turn-range must be in (0, π] rad, got " + maxTurn);
        int od = layout.observationSize(), rowDim = data.obsDim(), frames = rowDim / od, width = data.actDim();
        if (frames * od != rowDim) throw new IllegalArgumentException("rows of " + rowDim + " inputs are not observations of " + od);
        if (first < 0 || first > data.size()) throw new IllegalArgumentException("row " + first + " is not in a dataset of " + data.size());
        if ((copies == 0 && mirror == null) || data.size() == first) return new Result(0, 0, 0, 0);
        double[] box = region(data, first, od, frames);
        double[] row = new double[rowDim], q = new double[arm], dq = new double[arm], goal = new double[layout.goalSize()], u = new double[width];
        int missed = 0, mirrored = 0;
        if (mirror != null) {
            int rows = data.size();
            data.reserve(2 * rows - first);
            for (int r = first; r < rows; r++) {
                if (image(data.observations(), r * rowDim, od, frames, 0, true, box, row, q, dq, goal)) {
                    mirrorLabel(data.targets(), r * width, u);
                    data.addTarget(row, 0, u, 0);
                    mirrored++;
                } else {
                    missed++;
                }
            }
        }
        int rows = data.size(), added = 0;
        data.reserve(rows + (rows - first) * copies);
        SplittableRandom random = new SplittableRandom(seed);
        double turned = 0;
        for (int r = first; r < rows; r++) {
            for (int c = 0; c < copies; c++) {
                boolean found = false;
                for (int draw = 0; draw < DRAWS && !found; draw++) {
                    double delta = maxTurn * (2 * random.nextDouble() - 1);
                    found = image(data.observations(), r * rowDim, od, frames, delta, false, box, row, q, dq, goal);
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
        return new Result(mirrored, added, missed, added > 0 ? turned / added : 0);
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

    /**
     * Row {@code from} of {@code obs}, mirrored if asked, then turned by the joint angle {@code
     * delta}, into {@code out}; false where a goal point leaves the box or a joint its limits.
     */
    private boolean image(double[] obs, int from, int od, int frames, double delta, boolean mirrored, double[] box,
            double[] out, double[] q, double[] dq, double[] goal) {
        double scene = axis.sign() * delta;   // how the world turns when the first joint turns by delta
        for (int f = 0; f < frames; f++) {
            int at = from + f * od;
            System.arraycopy(obs, at, q, 0, arm);
            System.arraycopy(obs, at + arm, dq, 0, arm);
            double opening = layout.gripperJoint() != null ? obs[at + 2 * arm] : 0;
            System.arraycopy(obs, at + goalAt, goal, 0, goal.length);
            if (mirrored) {
                for (int j = 0; j < arm; j++) {
                    q[j] = mirror.image(j, q[j]);
                    dq[j] *= mirror.sign(j);
                }
                // the hand looks the same half a turn about its approach axis: the last joint may take the other
                int last = arm - 1;
                if (q[last] > upper[last] && q[last] - Math.PI >= lower[last]) q[last] -= Math.PI;
                if (q[last] < lower[last] && q[last] + Math.PI <= upper[last]) q[last] += Math.PI;
                for (int p : points) goal[p + 1] = 2 * mirror.y() - goal[p + 1];
                if (yawAt >= 0) goal[yawAt] = Task.foldYaw(-goal[yawAt]);
            }
            q[0] += delta;
            for (int j = 0; j < arm; j++) {   // the joints moved (a recorded one may lie a hair past its limit: it stays as recorded)
                boolean moved = j == 0 || (mirrored && (mirror.flips()[j] || (j == arm - 1 && mirror.lastOffset() != 0)));
                if (moved && (q[j] < lower[j] || q[j] > upper[j])) return false;
            }
            for (int p = 0; p < points.length; p++) {
                axis.turn(goal, points[p], scene);
                double x = goal[points[p]], y = goal[points[p] + 1];
                if (x < box[4 * p] || x > box[4 * p + 1] || y < box[4 * p + 2] || y > box[4 * p + 3]) return false;
            }
            if (yawAt >= 0) goal[yawAt] = Task.foldYaw(goal[yawAt] + scene);
            layout.observe(q, dq, opening, goal, out, f * od);
        }
        return true;
    }

    /** The mirror image of a label: each action's flipped joints negated (relative targets: the move mirrored), the gripper as it was. */
    private void mirrorLabel(double[] targets, int from, double[] out) {
        int n = layout.actionSize();
        for (int k = 0; k < out.length; k++) {
            int j = k % n;
            out[k] = j < arm ? mirror.sign(j) * targets[from + k] : targets[from + k];
        }
    }

}
