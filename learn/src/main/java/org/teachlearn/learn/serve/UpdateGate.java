package org.teachlearn.learn.serve;

/**
 * Which published models a policy server installs (docs/nodes.md §4): every one
 * ({@code ~accept_updates} true), none ({@code ~accept_updates} false), or exactly one version
 * ({@code ~version_pin} N &gt; 0, whatever {@code ~accept_updates} says: a pin is a deliberate
 * choice). At run time a person switches between all and none, and a rollback switches to none;
 * either ends a pin. Not thread-safe: the policy server asks it from its one loader thread.
 */
public final class UpdateGate {

    private boolean accepting;
    private long pin;          // > 0: only this version is installed
    private String refusedBy;  // why nothing is installed while not accepting, naming the parameter or service
    private long lastRefused = -1;

    public UpdateGate(boolean acceptUpdates, long versionPin) {
        if (versionPin < 0) throw new IllegalArgumentException("~version_pin must be 0 (no pin) or a model version > 0, got " + versionPin);
        accepting = acceptUpdates;
        pin = versionPin;
        refusedBy = "~accept_updates is false";
    }

    /** Null when a published model of {@code version} is to be installed; otherwise why not, naming what decided it. */
    public String refusal(long version) {
        if (pin > 0) return version == pin ? null : "~version_pin is " + pin;
        return accepting ? null : refusedBy;
    }

    /** True unless {@code version} was the last one refused: a re-delivered model is logged once. */
    public boolean firstRefusal(long version) {
        if (version == lastRefused) return false;
        lastRefused = version;
        return true;
    }

    /** Every model from now on ({@code on}), or none, {@code why} naming who decided; ends a pin. */
    public void accept(boolean on, String why) {
        accepting = on;
        pin = 0;
        refusedBy = why;
        lastRefused = -1;
    }

    public boolean accepting() {
        return pin == 0 && accepting;
    }

    /** The pinned version, 0 for none. */
    public long pin() {
        return pin;
    }

    /** For logs and service answers. */
    public String describe() {
        if (pin > 0) return "installing only /policy/model version " + pin + " (~version_pin)";
        return accepting ? "installing every /policy/model" : "refusing /policy/model updates (" + refusedBy + ")";
    }
}
