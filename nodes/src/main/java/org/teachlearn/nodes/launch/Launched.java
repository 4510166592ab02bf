package org.teachlearn.nodes.launch;

import org.teachlearn.ros.launch.LaunchNode;

/** One node of a launch, in this JVM or as a process; started again on respawn. */
abstract class Launched {

    final LaunchNode spec;
    private int starts;

    Launched(LaunchNode spec) {
        this.spec = spec;
    }

    /** roslaunch's process name: the node's full name without the leading slash, '/' as '-', and the start count. */
    String processName() {
        return spec.fullName().substring(1).replace('/', '-') + "-" + Math.max(1, starts);
    }

    /** Starts (again); returns what to print. */
    final String start() throws Exception {
        starts++;
        return begin();
    }

    abstract String begin() throws Exception;

    abstract boolean alive();

    /** How it ended: roslaunch's "process has finished cleanly" or "process has died [...]". */
    abstract String ending();

    /** Asks it to stop and waits (escalating for processes); returns when it is gone. */
    abstract void stop();
}
