package org.teachlearn.robot.person;

import java.util.SplittableRandom;

/**
 * A simulated person's hand guiding a robot arm by its handle: it pulls the tool centre point
 * towards a minimum-jerk path with a spring–damper (plus the push the person has learnt the arm
 * needs to keep moving), keeps the hand's orientation with a gentle twist, trembles, now and then
 * hesitates, and never pushes harder than a person comfortably does. The wrench is the only way it
 * acts on the arm, so whatever drives the arm (admittance on a wrist sensor, or an arm floating in
 * gravity compensation) has to follow it as it would follow a person.
 *
 * <p>One {@link #start} per movement, then one {@link #push} per control tick; nothing allocates.
 */
public final class GuidingHand {

    /**
     * @param minSpeed      slowest average hand speed of a movement, m/s (a movement's peak is 1.875 × its average)
     * @param maxSpeed      fastest average hand speed, m/s
     * @param maxDuration   longest a movement may take, s (a person who knows the task's time limit hurries over long distances)
     * @param stiffness     pull towards the point on the path, N/m
     * @param damping       pull towards the path's velocity, N s/m
     * @param feedforward   push per m/s of the path's velocity, N s/m: what the person has learnt the arm resists
     * @param maxForce      the hardest push, N
     * @param tremorForce   amplitude of the 8–12 Hz physiological tremor on each axis, N
     * @param hesitationRate hesitations per second of movement
     * @param minPause      shortest hesitation, s
     * @param maxPause      longest hesitation, s
     * @param turnStiffness twist towards the hand's orientation at the start, N m/rad
     * @param turnDamping   twist against the hand's angular velocity, N m s/rad
     * @param maxTorque     the hardest twist, N m
     */
    public record Settings(double minSpeed, double maxSpeed, double maxDuration, double stiffness, double damping,
            double feedforward, double maxForce, double tremorForce, double hesitationRate, double minPause,
            double maxPause, double turnStiffness, double turnDamping, double maxTorque) {

        public static Settings defaults() {
            return new Settings(0.1, 0.3, 2.2, 300, 30, 30, 30, 0.4, 0.15, 0.1, 0.3, 3, 0.3, 3);
        }

        public Settings {
            if (!(minSpeed > 0 && maxSpeed >= minSpeed)) throw new IllegalArgumentException("speeds need 0 < min <= max, not " + minSpeed + ", " + maxSpeed);
            if (!(maxDuration > 0)) throw new IllegalArgumentException("max duration must be positive, not " + maxDuration);
            if (!(maxForce > 0) || !(maxTorque >= 0)) throw new IllegalArgumentException("max force must be positive and max torque not negative");
            if (stiffness < 0 || damping < 0 || feedforward < 0 || tremorForce < 0 || hesitationRate < 0 || turnStiffness < 0 || turnDamping < 0) {
                throw new IllegalArgumentException("gains, tremor and hesitation rate cannot be negative");
            }
            if (!(minPause >= 0 && maxPause >= minPause)) throw new IllegalArgumentException("pauses need 0 <= min <= max");
        }

        public Settings withSpeeds(double min, double max) {
            return new Settings(min, max, maxDuration, stiffness, damping, feedforward, maxForce, tremorForce, hesitationRate, minPause, maxPause, turnStiffness, turnDamping, maxTorque);
        }

        public Settings withMaxForce(double newton) {
            return new Settings(minSpeed, maxSpeed, maxDuration, stiffness, damping, feedforward, newton, tremorForce, hesitationRate, minPause, maxPause, turnStiffness, turnDamping, maxTorque);
        }

        public Settings withTremor(double newton) {
            return new Settings(minSpeed, maxSpeed, maxDuration, stiffness, damping, feedforward, maxForce, newton, hesitationRate, minPause, maxPause, turnStiffness, turnDamping, maxTorque);
        }

        public Settings withHesitationRate(double perSecond) {
            return new Settings(minSpeed, maxSpeed, maxDuration, stiffness, damping, feedforward, maxForce, tremorForce, perSecond, minPause, maxPause, turnStiffness, turnDamping, maxTorque);
        }

        public Settings withPull(double stiffness, double damping, double feedforward) {
            return new Settings(minSpeed, maxSpeed, maxDuration, stiffness, damping, feedforward, maxForce, tremorForce, hesitationRate, minPause, maxPause, turnStiffness, turnDamping, maxTorque);
        }

        public Settings withMaxDuration(double seconds) {
            return new Settings(minSpeed, maxSpeed, seconds, stiffness, damping, feedforward, maxForce, tremorForce, hesitationRate, minPause, maxPause, turnStiffness, turnDamping, maxTorque);
        }
    }

    private static final double MIN_DURATION = 0.5;

    private final Settings settings;
    private final SplittableRandom rng;
    private final MinimumJerk path = new MinimumJerk();
    private final double[] holdRotation = new double[9];
    private final double[] tremorHz = new double[3], tremorPhase = new double[3];
    private final double[] swayHz = new double[3], swayPhase = new double[3];
    private double sway;   // N: amplitude of the slow, uneven push of an arm that is not a robot's
    private final double[] target = new double[3], targetVelocity = new double[3];
    private double clock, tremorClock, pauseLeft, averageSpeed;
    private int hesitations;

    public GuidingHand(Settings settings, long seed) {
        this.settings = settings;
        this.rng = new SplittableRandom(seed);
    }

    /**
     * Grips the handle of a hand at {@code pose} (row-major 4x4, base frame) and plans the movement
     * of its tool centre point to {@code goal} (x, y, z), keeping the hand's orientation: returns the
     * movement's duration in seconds.
     */
    public double start(double[] pose, double[] goal) {
        return start(pose, goal, null);
    }

    /**
     * As {@link #start(double[], double[])}, twisting the hand towards {@code rotation} (row-major
     * 3x3, base frame) on the way; null keeps the orientation it has.
     */
    public double start(double[] pose, double[] goal, double[] rotation) {
        double[] from = {pose[3], pose[7], pose[11]};
        path.plan(from, goal, 1);
        averageSpeed = settings.minSpeed() + (settings.maxSpeed() - settings.minSpeed()) * rng.nextDouble();
        double duration = Math.max(MIN_DURATION, Math.min(settings.maxDuration(), path.distance() / averageSpeed));
        path.plan(from, goal, duration);
        averageSpeed = path.distance() / duration;
        if (rotation != null) System.arraycopy(rotation, 0, holdRotation, 0, 9);
        else for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) holdRotation[3 * r + c] = pose[4 * r + c];
        for (int a = 0; a < 3; a++) {
            tremorHz[a] = 8 + 4 * rng.nextDouble();
            tremorPhase[a] = 2 * Math.PI * rng.nextDouble();
            swayHz[a] = 0.5 + 1.5 * rng.nextDouble();
            swayPhase[a] = 2 * Math.PI * rng.nextDouble();
        }
        clock = 0;
        tremorClock = 0;
        pauseLeft = 0;
        hesitations = 0;
        return duration;
    }

    /**
     * One tick of {@code dt} seconds: from the hand's {@code pose} (row-major 4x4, base frame) and
     * its tool centre point's {@code linear} and {@code angular} velocity, the force (N) and torque
     * (N m) the person applies at the tool centre point, in the base frame.
     */
    public void push(double dt, double[] pose, double[] linear, double[] angular, double[] force, double[] torque) {
        if (pauseLeft > 0) {
            pauseLeft -= dt;
        } else if (clock < path.duration() && rng.nextDouble() < settings.hesitationRate() * dt) {
            pauseLeft = settings.minPause() + (settings.maxPause() - settings.minPause()) * rng.nextDouble();
            hesitations++;
        } else {
            clock += dt;
        }
        tremorClock += dt;
        path.at(clock, target, targetVelocity);
        boolean still = pauseLeft > 0;
        for (int a = 0; a < 3; a++) {
            double vd = still ? 0 : targetVelocity[a];
            force[a] = settings.stiffness() * (target[a] - pose[4 * a + 3]) + settings.damping() * (vd - linear[a])
                    + settings.feedforward() * vd
                    + settings.tremorForce() * Math.sin(2 * Math.PI * tremorHz[a] * tremorClock + tremorPhase[a])
                    + sway * Math.sin(2 * Math.PI * swayHz[a] * tremorClock + swayPhase[a]);
        }
        cap(force, settings.maxForce());
        orientationError(pose, torque);
        for (int a = 0; a < 3; a++) torque[a] = settings.turnStiffness() * torque[a] - settings.turnDamping() * angular[a];
        cap(torque, settings.maxTorque());
    }

    /** Distance (m) of the tool centre point at {@code pose} from the movement's end. */
    public double remaining(double[] pose) {
        path.at(path.duration(), target, targetVelocity);
        double dx = target[0] - pose[3], dy = target[1] - pose[7], dz = target[2] - pose[11];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** Angle (rad) between the hand's orientation at {@code pose} and the one it is turned towards. */
    public double twistLeft(double[] pose) {
        double[] e = targetVelocity;   // scratch: overwritten by the next push
        orientationError(pose, e);
        return Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
    }

    /** Whether the planned movement is over (the hand then holds the goal). */
    public boolean arrived() {
        return clock >= path.duration();
    }

    /**
     * A slow (0.5–2 Hz) uneven push of {@code newton} on each axis on top of the pull: a person's
     * hand wanders off the path and comes back, so demonstrations show corrections, not one line.
     */
    public void sway(double newton) {
        if (!(newton >= 0)) throw new IllegalArgumentException("sway must be >= 0 N, not " + newton);
        sway = newton;
    }

    /** Average speed of the planned movement, m/s. */
    public double averageSpeed() {
        return averageSpeed;
    }

    /** Hesitations so far in this movement. */
    public int hesitations() {
        return hesitations;
    }

    /** Rotation vector (axis × angle, base frame) that turns the hand's orientation back to the one at the start. */
    private void orientationError(double[] pose, double[] out) {
        // E = H Rᵀ; its skew part is sin(θ) × axis
        double[] h = holdRotation;
        double e01 = 0, e02 = 0, e10 = 0, e12 = 0, e20 = 0, e21 = 0, trace = 0;
        for (int k = 0; k < 3; k++) {
            trace += h[k] * pose[k] + h[3 + k] * pose[4 + k] + h[6 + k] * pose[8 + k];
            e01 += h[k] * pose[4 + k];
            e02 += h[k] * pose[8 + k];
            e10 += h[3 + k] * pose[k];
            e12 += h[3 + k] * pose[8 + k];
            e20 += h[6 + k] * pose[k];
            e21 += h[6 + k] * pose[4 + k];
        }
        double x = 0.5 * (e21 - e12), y = 0.5 * (e02 - e20), z = 0.5 * (e10 - e01);
        double sin = Math.sqrt(x * x + y * y + z * z), cos = Math.max(-1, Math.min(1, 0.5 * (trace - 1)));
        double angle = Math.atan2(sin, cos);
        double scale = sin < 1e-9 ? 1 : angle / sin;
        out[0] = scale * x;
        out[1] = scale * y;
        out[2] = scale * z;
    }

    private static void cap(double[] v, double max) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (n > max) {
            double s = max / n;
            v[0] *= s;
            v[1] *= s;
            v[2] *= s;
        }
    }
}
