package org.teachlearn.ros.master;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts what each caller has registered, so the master can refuse a flood before it fills the
 * heap. Not thread-safe; the master calls it under its lock.
 */
final class RegistrationLedger {

    private final MasterLimits limits;
    private final Map<String, Integer> byCaller = new HashMap<>();
    private int total;
    private long chars;

    RegistrationLedger(MasterLimits limits) {
        this.limits = limits;
    }

    /** Throws, with what was reached and how to raise it, if one more registration is too many. */
    void admit(String callerId, String name, String api) {
        int mine = byCaller.getOrDefault(callerId, 0);
        if (mine >= limits.registrationsPerCaller()) {
            throw new CapReached("[" + callerId + "] already holds " + mine + " registrations, the cap per caller id;"
                    + " unregister some, or start the master with a higher registrationsPerCaller (MasterLimits)");
        }
        if (total >= limits.registrationsTotal()) {
            throw new CapReached("the master holds " + total + " registrations, its total cap;"
                    + " unregister some, or start the master with a higher registrationsTotal (MasterLimits)");
        }
        if (chars + size(callerId, name, api) > limits.registrationChars()) {
            throw new CapReached("registrations hold " + chars + " characters of names and URIs, the cap;"
                    + " use shorter names, or start the master with a higher registrationChars (MasterLimits)");
        }
    }

    void added(String callerId, String name, String api) {
        byCaller.merge(callerId, 1, Integer::sum);
        total++;
        chars += size(callerId, name, api);
    }

    void removed(String callerId, String name, String api) {
        byCaller.computeIfPresent(callerId, (k, n) -> n > 1 ? n - 1 : null);
        total--;
        chars -= size(callerId, name, api);
    }

    int total() {
        return total;
    }

    private static long size(String callerId, String name, String api) {
        return callerId.length() + name.length() + api.length();
    }

    /** A cap was reached: the master answers [-1, message, 0], as roscore answers errors. */
    static final class CapReached extends IllegalArgumentException {
        CapReached(String message) {
            super(message);
        }
    }
}
