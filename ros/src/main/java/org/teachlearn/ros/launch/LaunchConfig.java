package org.teachlearn.ros.launch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a launch file asks for, in the order roslaunch applies it: setup actions ({@code
 * rosparam dump|delete}), parameter namespaces to clear, parameters to set, then the nodes.
 */
public final class LaunchConfig {

    /** A {@code <rosparam command="dump|delete">}: dump {@code namespace} to {@code file} (null for delete). */
    public record SetupAction(String command, String namespace, String file) {
    }

    /** A {@code <machine>}: only local ones can run here. */
    public record Machine(String name, String address, boolean isDefault) {
    }

    public final List<SetupAction> setup = new ArrayList<>();
    public final List<String> clearParams = new ArrayList<>();
    public final Map<String, Object> params = new LinkedHashMap<>();
    public final List<LaunchNode> nodes = new ArrayList<>();
    public final Map<String, Machine> machines = new LinkedHashMap<>();
    public final List<String> warnings = new ArrayList<>();
}
