package org.teachlearn.nodes.launch;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.teachlearn.ros.launch.LaunchNode;

/** One node of a launch, in this JVM or as a process; started again on respawn. */
abstract class Launched {

    final LaunchNode spec;
    final URI master;
    private int starts;

    Launched(LaunchNode spec, URI master) {
        this.spec = spec;
        this.master = master;
    }

    /** The node's command-line arguments as roslaunch gives them: args, {@code from:=to} remaps, {@code __name:=}. */
    List<String> nodeArgs() {
        List<String> argv = new ArrayList<>(spec.args());
        for (var r : spec.remaps().entrySet()) argv.add(r.getKey() + ":=" + r.getValue());
        argv.add("__name:=" + spec.name());
        return argv;
    }

    /** Puts the launch's env, the master and the node's namespace (ROS_NAMESPACE) into {@code env}. */
    void environment(Map<String, String> env) {
        env.putAll(spec.env());
        env.put("ROS_MASTER_URI", master.toString());
        String ns = spec.namespace();
        if (ns.equals("/")) env.remove("ROS_NAMESPACE");
        else env.put("ROS_NAMESPACE", ns.substring(0, ns.length() - 1));
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
