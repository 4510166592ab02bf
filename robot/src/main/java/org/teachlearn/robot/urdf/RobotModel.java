package org.teachlearn.robot.urdf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A parsed robot description: a tree of links joined by joints, rooted at one link. */
public final class RobotModel {

    private final String name;
    private final Map<String, Link> links;
    private final Map<String, Joint> joints;
    private final List<Transmission> transmissions;
    private final String root;

    RobotModel(String name, Map<String, Link> links, Map<String, Joint> joints, List<Transmission> transmissions,
            String root) {
        this.name = name;
        this.links = Collections.unmodifiableMap(links);
        this.joints = Collections.unmodifiableMap(joints);
        this.transmissions = List.copyOf(transmissions);
        this.root = root;
    }

    public String name() {
        return name;
    }

    public String rootLink() {
        return root;
    }

    public Map<String, Link> links() {
        return links;
    }

    public Map<String, Joint> joints() {
        return joints;
    }

    public List<Transmission> transmissions() {
        return transmissions;
    }

    public Link link(String linkName) {
        Link l = links.get(linkName);
        if (l == null) throw new UrdfException("no link '" + linkName + "' in " + name + " (links are: " + String.join(", ", links.keySet()) + ")");
        return l;
    }

    public Joint joint(String jointName) {
        Joint j = joints.get(jointName);
        if (j == null) {
            throw new UrdfException("joint '" + jointName + "' is not in the URDF of " + name + " (movable joints are: "
                    + joints.values().stream().filter(Joint::isMovable).map(Joint::name).collect(Collectors.joining(", ")) + ")");
        }
        return j;
    }

    /** The joint whose child is this link, or null for the root. */
    public Joint parentJoint(String linkName) {
        for (Joint j : joints.values()) if (j.child().equals(linkName)) return j;
        return null;
    }

    /** The joints from {@code base} down to {@code tip}, in order; fixed joints included. */
    public List<Joint> chain(String base, String tip) {
        link(base);
        link(tip);
        List<Joint> path = new ArrayList<>();
        String at = tip;
        while (!at.equals(base)) {
            Joint j = parentJoint(at);
            if (j == null) throw new UrdfException("link '" + tip + "' does not descend from '" + base + "' in " + name);
            path.add(j);
            at = j.parent();
        }
        Collections.reverse(path);
        return path;
    }
}
