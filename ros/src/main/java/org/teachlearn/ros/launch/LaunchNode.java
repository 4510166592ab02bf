package org.teachlearn.ros.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@code <node>} as the launch file declares it, substitutions done: what to run, under which name
 * and namespace, with which remaps, environment and process options. Its private parameters are
 * already among the launch's parameters.
 */
public record LaunchNode(String pkg, String type, String name, String namespace, List<String> args, String output,
        boolean respawn, double respawnDelay, boolean required, String cwd, String launchPrefix, String machine,
        Map<String, String> remaps, Map<String, String> env, Path file, int line) {

    /** The node's full graph name, e.g. /arm/policy_server. */
    public String fullName() {
        return namespace.equals("/") ? "/" + name : namespace + name;
    }

    /** Where the launch file declares it, for messages. */
    public String where() {
        return file + ":" + line;
    }
}
