package org.teachlearn.ros.master;

/**
 * What clients may make the master hold. Each is far above what a real robot's graph uses (a
 * large one has a few hundred nodes with tens of registrations each and a parameter tree of a
 * few megabytes, mostly robot_description), and low enough that one misbehaving client cannot
 * fill the heap: at the defaults 100,000 registrations take some tens of megabytes.
 *
 * @param registrationsPerCaller publishers, subscribers, services and parameter subscriptions of one caller id
 * @param registrationsTotal     the same, all callers together
 * @param registrationChars      characters of names and URIs held by registrations, all together
 * @param parameterBytes         estimated size of the parameter tree
 * @param notifyThreads          threads calling nodes back (publisherUpdate, paramUpdate, shutdown)
 * @param notifyQueue            callbacks waiting for those threads; past it new ones are dropped and logged
 * @param notifyTimeoutMillis    connect and answer timeout of one callback: a dead node holds a thread no longer
 */
public record MasterLimits(int registrationsPerCaller, int registrationsTotal, long registrationChars,
        long parameterBytes, int notifyThreads, int notifyQueue, int notifyTimeoutMillis) {

    public MasterLimits {
        if (registrationsPerCaller <= 0 || registrationsTotal <= 0 || registrationChars <= 0 || parameterBytes <= 0
                || notifyThreads <= 0 || notifyQueue <= 0 || notifyTimeoutMillis <= 0) {
            throw new IllegalArgumentException("master limits must be positive: " + this);
        }
    }

    /** The defaults, with the memory caps scaled to this JVM's heap (an eighth each, at most 256 MB). */
    public static MasterLimits defaults() {
        long eighth = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
        return new MasterLimits(10_000, 100_000, eighth / 2, eighth, 8, 100_000, 2_000);
    }
}
