package org.teachlearn.nodes.policy;

import org.teachlearn.learn.serve.PolicySlot;
import org.teachlearn.learn.serve.SafeAction;
import org.teachlearn.robot.control.HoldCommand;
import org.teachlearn.ros.node.RosLog;

/**
 * The policy server's arm side: a tick's observation through the running model and the
 * {@link SafeAction} pipeline to the arm and gripper controllers, or a hold ({@link HoldCommand})
 * on anything wrong. The arm's message is its controller's ({@link ArmCommandOut}). Sized once by the first model; nothing allocates per tick (warnings are
 * built only when the throttle lets them out). The server calls it under its lock.
 */
final class ArmOutput {

    private final RosLog log;
    private final ArmCommandOut armCommand;
    private final GripperOutput gripperOut;
    private double lastOpening;
    private boolean lastHold;
    private final Runnable sending;
    private final double[] sent;   // the arm targets of the last command
    private final SafeAction safe;
    private final HoldCommand holdCommand;
    private final double[] holdTargets;
    private final boolean gripper;

    /** @param sending run right before each command goes out (the commands' {@code SubscriberWait.sending}) */
    ArmOutput(RosLog log, ArmCommandOut armCommand, GripperOutput gripperOut, SafeAction safe,
            HoldCommand holdCommand, int armJoints, boolean gripper, Runnable sending) {
        this.log = log;
        this.sending = sending;
        this.armCommand = armCommand;
        this.gripperOut = gripperOut;
        this.safe = safe;
        this.holdCommand = holdCommand;
        this.gripper = gripper;
        holdTargets = new double[armJoints];
        sent = new double[armJoints];
    }

    SafeAction safe() {
        return safe;
    }

    /**
     * The model on {@code obs} (or {@code ahead}'s result for it) from the arm measured at
     * {@code positions}/{@code velocities}; the safe command goes out unless {@code stillFresh}
     * says the reading aged past the watchdog meanwhile. True when the policy's command went out.
     */
    boolean act(PolicySlot slot, double[] obs, double[] positions, double[] velocities, SafeAction.Precomputed ahead,
            java.util.function.BooleanSupplier stillFresh) {
        PolicySlot.Ticket t = slot.enter();
        if (t == null) {
            hold(positions, velocities);
            return false;
        }
        SafeAction.Outcome outcome;
        try {
            outcome = safe.compute(t.policy(), obs, positions, ahead);
        } finally {
            t.leave();
        }
        switch (outcome) {
            case MODEL_FAILED -> {
                log.errorThrottled("model", 1.0, "policy_server: the model failed (" + safe.failure().getMessage() + "): holding");
                hold(positions, velocities);
                return false;
            }
            case NOT_FINITE -> {
                if (log.due("nan", 1.0)) log.error("policy_server: " + safe.describeNotFinite() + ": holding the last safe command");
                if (safe.hasSent()) send(safe.lastSent(), lastOpening, false);
                else hold(positions, velocities);
                return false;
            }
            default -> { }
        }
        if (safe.clampedJoint() >= 0 && log.due("limit", 1.0)) log.warn("policy_server: " + safe.describeClamp());
        if (safe.steppedJoint() >= 0 && log.due("step", 1.0)) log.warn("policy_server: " + safe.describeStep());
        if (!stillFresh.getAsBoolean()) {
            hold(positions, velocities);   // the reading aged past the watchdog while the model ran: its command must not leave
            return false;
        }
        double[] c = safe.command();
        send(c, gripper ? c[holdTargets.length] : 0, false);
        return true;
    }

    /** Holds the arm at the measured pose (what a lockstep simulator also needs as its answer). */
    void hold(double[] positions, double[] velocities) {
        safe.held();
        holdCommand.fill(positions, velocities, holdTargets);
        send(holdTargets, gripper ? positions[holdTargets.length] : 0, true);
    }

    private void send(double[] armTargets, double opening, boolean hold) {
        System.arraycopy(armTargets, 0, sent, 0, sent.length);
        safe.sent(sent);
        lastHold = hold;
        sending.run();
        if (gripper) {
            lastOpening = opening;
            gripperOut.send(opening);
        }
        armCommand.send(sent, hold);
    }

    /** The last command again, unchanged (a lockstep answer a simulator connecting late never got). */
    void resend() {
        sending.run();
        if (gripper) gripperOut.send(lastOpening);
        armCommand.send(sent, lastHold);
    }
}
