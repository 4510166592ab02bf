package org.teachlearn.robot.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.Link;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.SrdfParser;

/**
 * The rules {@link ArmLayout#resolve} follows to fill in what a user did not say, one method per
 * part, each with an error that names the key and what would be valid.
 */
final class ArmRules {

    /** A rest pose and where it came from. */
    record Rest(double[] positions, String source) { }

    private final RobotModel model;
    private final ArmSpec spec;
    private final String urdf;

    ArmRules(RobotModel model, ArmSpec spec, String urdf) {
        this.model = model;
        this.spec = spec;
        this.urdf = urdf;
    }

    /** Base and tip links of the arm's chain. */
    String[] chainLinks() {
        String base = spec.baseLink(), tip = spec.tipLink();
        if (base != null) requireLink(base, "base_link");
        if (tip != null) requireLink(tip, "tip_link");
        List<String> listed = spec.armJoints();
        if (listed == null && tip == null && spec.srdf() != null) {
            SrdfParser.Chain chain = srdfChain();
            if (chain != null) {
                base = base != null ? base : chain.base();
                tip = chain.tip();
                requireLink(base, "base_link");
                requireLink(tip, "tip_link");
            }
        }
        if (listed == null) {
            if (tip == null) {
                throw new IllegalArgumentException("which joints are the arm? Set " + spec.key("arm_joints") + " (the arm controller's joints), "
                        + spec.key("tip_link") + " (with " + spec.key("base_link") + ", default the root link '" + model.rootLink()
                        + "'), or give an SRDF whose arm group is a <chain>");
            }
            base = base != null ? base : model.rootLink();
            checkChain(base, tip, null);
            return new String[] {base, tip};
        }
        if (listed.isEmpty()) throw new IllegalArgumentException(spec.key("arm_joints") + " is empty: list the arm's joints");
        Joint top = null, bottom = null;
        for (String name : listed) {
            Joint j = model.joints().get(name);
            if (j == null || !j.isMovable()) {
                throw new IllegalArgumentException(spec.key("arm_joints") + " names '" + name + "', which is not a movable joint of " + urdf
                        + " (its movable joints: " + String.join(", ", movableJoints()) + ")");
            }
            if (top == null || depth(j.child()) < depth(top.child())) top = j;
            if (bottom == null || depth(j.child()) > depth(bottom.child())) bottom = j;
        }
        base = base != null ? base : top.parent();
        if (tip == null && spec.srdf() != null) {
            // the SRDF's arm chain says where the tool is, when it ends below the listed joints
            SrdfParser.Chain chain = srdfChain();
            if (chain != null && model.links().containsKey(chain.tip()) && descends(chain.tip(), bottom.child())) tip = chain.tip();
        }
        tip = tip != null ? tip : toolFrame(bottom.child());
        checkChain(base, tip, listed);
        return new String[] {base, tip};
    }

    /** The SRDF's arm: the chain group the rest group_state belongs to, else its only chain group, else null. */
    private SrdfParser.Chain srdfChain() {
        List<SrdfParser.Chain> chains = SrdfParser.chains(spec.srdf(), spec.srdfSource());
        String group = null;
        try {
            group = groupState(SrdfParser.groupStates(spec.srdf(), spec.srdfSource())).group();
        } catch (IllegalArgumentException e) {
            // no usable group_state: fall back to the only chain
        }
        for (SrdfParser.Chain c : chains) if (c.group().equals(group)) return c;
        return chains.size() == 1 ? chains.get(0) : null;
    }

    /** The chain base → tip must exist, move, and (when given) consist of exactly the listed joints. */
    private void checkChain(String base, String tip, List<String> listed) {
        List<String> moving = new ArrayList<>();
        try {
            for (Joint j : model.chain(base, tip)) {
                if (j.type() == Joint.Type.FLOATING || j.type() == Joint.Type.PLANAR) {
                    throw new IllegalArgumentException(urdf + ": joint '" + j.name() + "' between " + base + " and " + tip + " is "
                            + j.type().name().toLowerCase() + "; an arm is made of revolute, continuous, prismatic and fixed joints");
                }
                if (j.isMovable()) moving.add(j.name());
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) throw e;
            throw new IllegalArgumentException(spec.key("tip_link") + " '" + tip + "' does not hang below " + spec.key("base_link") + " '"
                    + base + "' in " + urdf);
        }
        if (moving.isEmpty()) throw new IllegalArgumentException("no movable joint between " + base + " and " + tip + " in " + urdf);
        if (listed != null && (moving.size() != listed.size() || !moving.containsAll(listed))) {
            throw new IllegalArgumentException(spec.key("arm_joints") + " " + listed + " must be the movable joints from " + base + " to " + tip
                    + " in " + urdf + ": " + moving + (spec.tipLink() == null ? " (or set " + spec.key("tip_link") + ")" : ""));
        }
    }

    /**
     * The tool frame below {@code link}: the one link reached from it through fixed joints alone
     * that has no fixed child (a tcp or tool0 frame), or {@code link} itself when nothing is fixed below it.
     */
    private String toolFrame(String link) {
        List<String> leaves = new ArrayList<>();
        collectFixedLeaves(link, leaves);
        if (leaves.size() == 1) return leaves.get(0);
        throw new IllegalArgumentException("several tool frames hang below " + link + " in " + urdf + " (" + String.join(", ", leaves)
                + "): set " + spec.key("tip_link") + " to the tool centre point");
    }

    private void collectFixedLeaves(String link, List<String> leaves) {
        boolean any = false;
        for (Joint j : model.joints().values()) {
            if (j.parent().equals(link) && j.type() == Joint.Type.FIXED) {
                any = true;
                collectFixedLeaves(j.child(), leaves);
            }
        }
        if (!any) leaves.add(link);
    }

    /** The gripper's driven joint below the arm's last link, or null for none. */
    String gripperJoint(String lastArmLink, List<String> armJoints) {
        List<String> listed = spec.gripperJoints();
        if (listed != null) {
            if (listed.isEmpty()) return null;
            String name = listed.get(0);
            Joint j = model.joints().get(name);
            if (listed.size() > 1 || j == null || !j.isMovable() || j.mimic() != null || armJoints.contains(name)) {
                throw new IllegalArgumentException(spec.key("gripper_joints") + " " + listed + " must name one movable joint of " + urdf
                        + " outside the arm that mimics no other (the joints that <mimic> it follow it); candidates: "
                        + String.join(", ", candidates(null, armJoints)));
            }
            return name;
        }
        List<String> found = candidates(lastArmLink, armJoints);
        if (found.size() > 1) {
            throw new IllegalArgumentException("several joints below the arm could be the gripper's (" + String.join(", ", found) + "): set "
                    + spec.key("gripper_joints") + " to the driven one, or to [] for none");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** Movable joints that mimic nothing and are not the arm's: below {@code under}, or anywhere when null. */
    private List<String> candidates(String under, List<String> armJoints) {
        List<String> out = new ArrayList<>();
        for (Joint j : model.joints().values()) {
            if (!j.isMovable() || j.mimic() != null || armJoints.contains(j.name())) continue;
            if (under == null || descends(j.child(), under)) out.add(j.name());
        }
        return out;
    }

    /** How the gripper joint's position maps to an opening in metres. */
    GripperScale gripperScale(Joint g) {
        return GripperScale.forJoint(g, spec, urdf);
    }

    /** The link behind the wrist sensor: as given ("" for none), else the first link with mass fixed below the arm's last link. */
    String sensorLink(String lastArmLink) {
        String s = spec.sensorLink();
        if (s != null) {
            if (s.isEmpty()) return null;
            requireLink(s, "ft_sensor_link");
            if (model.parentJoint(s) == null || model.parentJoint(s).isMovable()) {
                throw new IllegalArgumentException(spec.key("ft_sensor_link") + " '" + s + "' must hang from a fixed joint (the sensor's mount) in " + urdf);
            }
            return s;
        }
        List<String> level = new ArrayList<>(List.of(lastArmLink));
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String l : level) {
                for (Joint j : model.joints().values()) {
                    if (!j.parent().equals(l) || j.type() != Joint.Type.FIXED) continue;
                    if (model.link(j.child()).inertial().mass() > 0) return j.child();
                    next.add(j.child());
                }
            }
            level = next;
        }
        return null;
    }

    /** Links with collision shapes at or below {@code top} ({@code top} itself left out when asked): what touches objects. */
    List<String> contactLinks(String top, boolean excludeTop) {
        List<String> out = new ArrayList<>();
        List<String> order = new ArrayList<>(List.of(top));
        for (int i = 0; i < order.size(); i++) {
            for (Joint j : model.joints().values()) if (j.parent().equals(order.get(i))) order.add(j.child());
        }
        for (String l : order) {
            if (excludeTop && l.equals(top)) continue;
            Link link = model.link(l);
            if (!link.collisions().isEmpty()) out.add(l);
        }
        return out;
    }

    /** The rest pose in chain order: given, else an SRDF group_state, else the middle of every joint's range. */
    Rest restPose(KinematicChain chain) {
        String[] names = chain.jointNames();
        double[] rest = new double[names.length];
        if (spec.restPositions() != null) {
            if (spec.restPositions().length != names.length) {
                throw new IllegalArgumentException(spec.key("rest_positions") + " has " + spec.restPositions().length + " values; the arm has "
                        + names.length + " joints (" + String.join(", ", names) + ")");
            }
            for (int i = 0; i < names.length; i++) rest[i] = checked(names[i], spec.restPositions()[i], spec.key("rest_positions"));
            return new Rest(rest, spec.key("rest_positions"));
        }
        if (spec.srdf() != null) {
            SrdfParser.GroupState state = groupState(SrdfParser.groupStates(spec.srdf(), spec.srdfSource()));
            String where = "group_state '" + state.name() + "' of " + spec.srdfSource();
            for (int i = 0; i < names.length; i++) {
                Double v = state.joints().get(names[i]);
                if (v == null) throw new IllegalArgumentException(where + " has no value for arm joint '" + names[i] + "'");
                rest[i] = checked(names[i], v, where);
            }
            return new Rest(rest, where);
        }
        for (int i = 0; i < names.length; i++) {
            Joint j = model.joint(names[i]);
            rest[i] = Double.isFinite(j.lower()) && Double.isFinite(j.upper()) ? (j.lower() + j.upper()) / 2 : 0;
        }
        return new Rest(rest, "the middle of every joint's range (no " + spec.key("rest_positions") + " or SRDF given)");
    }

    private SrdfParser.GroupState groupState(List<SrdfParser.GroupState> states) {
        List<String> names = new ArrayList<>();
        for (SrdfParser.GroupState s : states) names.add(s.name());
        String wanted = spec.groupState();
        if (wanted == null) {
            wanted = names.contains("ready") ? "ready" : names.contains("home") ? "home" : names.size() == 1 ? names.get(0) : null;
            if (wanted == null) {
                throw new IllegalArgumentException(spec.srdfSource() + " has " + (names.isEmpty() ? "no group_state" : "group_states " + names
                        + " but none named ready or home") + ": set " + spec.key("group_state") + " or " + spec.key("rest_positions"));
            }
        }
        for (SrdfParser.GroupState s : states) if (s.name().equals(wanted)) return s;
        throw new IllegalArgumentException(spec.key("group_state") + " '" + wanted + "' is not in " + spec.srdfSource() + " (it has: "
                + String.join(", ", names) + ")");
    }

    private double checked(String joint, double q, String where) {
        Joint j = model.joint(joint);
        if (!Double.isFinite(q) || q < j.lower() - 1e-9 || q > j.upper() + 1e-9) {
            throw new IllegalArgumentException(where + ": " + q + " for joint '" + joint + "' is outside its limits [" + j.lower() + ", "
                    + j.upper() + "] in " + urdf);
        }
        return q;
    }

    private void requireLink(String link, String key) {
        if (!model.links().containsKey(link)) {
            throw new IllegalArgumentException(spec.key(key) + " '" + link + "' is not a link of " + urdf + " (its links: "
                    + String.join(", ", model.links().keySet()) + ")");
        }
    }

    private List<String> movableJoints() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Joint> e : model.joints().entrySet()) if (e.getValue().isMovable()) out.add(e.getKey());
        return out;
    }

    private int depth(String link) {
        int d = 0;
        for (Joint j = model.parentJoint(link); j != null; j = model.parentJoint(j.parent())) d++;
        return d;
    }

    private boolean descends(String link, String ancestor) {
        for (String at = link; at != null; ) {
            if (at.equals(ancestor)) return true;
            Joint j = model.parentJoint(at);
            at = j == null ? null : j.parent();
        }
        return false;
    }
}
