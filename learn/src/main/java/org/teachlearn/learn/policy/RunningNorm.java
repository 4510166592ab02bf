package org.teachlearn.learn.policy;

/**
 * Running mean and variance of observations (Chan et al.'s parallel update, as Stable-Baselines3's
 * {@code RunningMeanStd}), and normalisation with them: clip((x − mean) / √(var + ε), ±clip).
 * The exported ONNX graph applies the same formula, so the file needs nothing from outside.
 */
public final class RunningNorm {

    /**
     * Larger than the usual 1e-8: an input that is nearly constant in the data (the gripper opening
     * while reaching) would otherwise have its noise amplified 10⁴-fold and drive the policy off.
     * A floor of 0.01 on the standard deviation is far below the scale of any joint or goal input.
     */
    public static final double EPSILON = 1e-4;
    public static final double CLIP = 10;

    private final double[] mean;
    private final double[] var;
    private final double[] batchMean;
    private final double[] batchVar;
    private final boolean[] ignored;
    private double count = 1e-4;
    private boolean frozen;

    public RunningNorm(int size) {
        mean = new double[size];
        var = new double[size];
        batchMean = new double[size];
        batchVar = new double[size];
        ignored = new boolean[size];
        java.util.Arrays.fill(var, 1);
    }

    /**
     * Input {@code j} is ignored: it normalises to 0 whatever its value, here and in the exported
     * graph (scale 0), so the network cannot depend on it. The statistics are still kept.
     */
    public void ignore(int j) {
        ignored[j] = true;
    }

    public boolean ignored(int j) {
        return ignored[j];
    }

    /** The factor input {@code j} is scaled by after centring: 1/√(var + ε), or 0 when ignored. */
    public double inverseStd(int j) {
        return ignored[j] ? 0 : 1 / Math.sqrt(var[j] + EPSILON);
    }

    /** Folds {@code rows} observations (row-major, {@code size} each) into the statistics unless frozen. */
    public void update(double[] x, int rows) {
        if (frozen || rows == 0) return;
        int n = mean.length;
        java.util.Arrays.fill(batchMean, 0);
        java.util.Arrays.fill(batchVar, 0);
        for (int r = 0; r < rows; r++) for (int j = 0; j < n; j++) batchMean[j] += x[r * n + j];
        for (int j = 0; j < n; j++) batchMean[j] /= rows;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double d = x[r * n + j] - batchMean[j];
                batchVar[j] += d * d;
            }
        }
        double total = count + rows;
        for (int j = 0; j < n; j++) {
            double delta = batchMean[j] - mean[j];
            double m2 = var[j] * count + batchVar[j] + delta * delta * count * rows / total;
            mean[j] += delta * rows / total;
            var[j] = m2 / total;
        }
        count = total;
    }

    /** Normalises {@code rows} observations from {@code x} into {@code out} (may be the same array). */
    public void normalise(double[] x, double[] out, int rows) {
        int n = mean.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double z = (x[r * n + j] - mean[j]) * inverseStd(j);
                out[r * n + j] = Math.max(-CLIP, Math.min(CLIP, z));
            }
        }
    }

    public int size() {
        return mean.length;
    }

    public double[] mean() {
        return mean;
    }

    public double[] variance() {
        return var;
    }

    public double count() {
        return count;
    }

    /** Frozen statistics stop changing (evaluation, fine-tuning on a fixed normalisation). */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    public void restore(double[] mean, double[] variance, double count) {
        System.arraycopy(mean, 0, this.mean, 0, this.mean.length);
        System.arraycopy(variance, 0, this.var, 0, this.var.length);
        this.count = count;
    }
}
