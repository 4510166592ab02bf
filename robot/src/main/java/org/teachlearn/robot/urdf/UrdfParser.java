package org.teachlearn.robot.urdf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads URDF as robot_state_publisher and Gazebo do: links with inertials and shapes, joints of
 * every type with limits, dynamics and mimic, and ros_control transmissions. Errors name the
 * element and what is wrong. DTDs and external entities are refused.
 */
public final class UrdfParser {

    private UrdfParser() {
    }

    public static RobotModel parse(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static RobotModel parse(String xml) {
        Element robot = document(xml).getDocumentElement();
        if (!robot.getTagName().equals("robot")) {
            throw new UrdfException("the root element is <" + robot.getTagName() + ">, expected <robot>");
        }
        String name = attr(robot, "name", "robot");
        Map<String, Link> links = new LinkedHashMap<>();
        Map<String, Joint> joints = new LinkedHashMap<>();
        List<Transmission> transmissions = new ArrayList<>();
        for (Element e : children(robot)) {
            switch (e.getTagName()) {
                case "link" -> {
                    Link l = link(e);
                    if (links.put(l.name(), l) != null) throw new UrdfException("link '" + l.name() + "' is defined twice");
                }
                case "joint" -> {
                    Joint j = joint(e);
                    if (joints.put(j.name(), j) != null) throw new UrdfException("joint '" + j.name() + "' is defined twice");
                }
                case "transmission" -> transmissions.add(transmission(e));
                default -> { /* material, gazebo and other extensions are not ours to read */ }
            }
        }
        if (links.isEmpty()) throw new UrdfException("robot '" + name + "' has no <link>");
        Set<String> children = new HashSet<>();
        for (Joint j : joints.values()) {
            String where = "joint '" + j.name() + "'";
            if (!links.containsKey(j.parent())) throw new UrdfException(where + ": parent link '" + j.parent() + "' is not defined");
            if (!links.containsKey(j.child())) throw new UrdfException(where + ": child link '" + j.child() + "' is not defined");
            if (!children.add(j.child())) throw new UrdfException(where + ": link '" + j.child() + "' has two parent joints");
            if (j.mimic() != null && !joints.containsKey(j.mimic().joint())) {
                throw new UrdfException(where + ": <mimic joint='" + j.mimic().joint() + "'> names no joint");
            }
        }
        List<String> roots = links.keySet().stream().filter(l -> !children.contains(l)).toList();
        if (roots.size() != 1) {
            throw new UrdfException("robot '" + name + "' must have exactly one root link, found " + roots
                    + (roots.isEmpty() ? " (the joints form a cycle)" : " (links not joined to the tree)"));
        }
        for (Transmission t : transmissions) {
            for (String j : t.joints()) {
                if (!joints.containsKey(j)) throw new UrdfException("transmission '" + t.name() + "': joint '" + j + "' is not defined");
            }
        }
        return new RobotModel(name, links, joints, transmissions, roots.get(0));
    }

    private static Document document(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new UrdfException("the robot description is not well-formed XML: " + e.getMessage());
        }
    }

    private static Link link(Element e) {
        String name = required(e, "name", "<link>");
        Inertial inertial = Inertial.NONE;
        List<Shape> visuals = new ArrayList<>();
        List<Shape> collisions = new ArrayList<>();
        for (Element c : children(e)) {
            String where = "link '" + name + "' <" + c.getTagName() + ">";
            switch (c.getTagName()) {
                case "inertial" -> inertial = inertial(c, where);
                case "visual" -> visuals.add(shape(c, where));
                case "collision" -> collisions.add(shape(c, where));
                default -> { }
            }
        }
        return new Link(name, inertial, List.copyOf(visuals), List.copyOf(collisions));
    }

    private static Inertial inertial(Element e, String where) {
        Element mass = child(e, "mass");
        Element inertia = child(e, "inertia");
        if (mass == null) throw new UrdfException(where + ": <mass value=...> is missing");
        if (inertia == null) throw new UrdfException(where + ": <inertia .../> is missing");
        double m = number(mass, "value", where + " <mass>");
        if (!(m >= 0)) throw new UrdfException(where + ": mass " + m + " must not be negative");
        String w = where + " <inertia>";
        return new Inertial(origin(e, where), m, number(inertia, "ixx", w), number(inertia, "ixy", w),
                number(inertia, "ixz", w), number(inertia, "iyy", w), number(inertia, "iyz", w), number(inertia, "izz", w));
    }

    private static Shape shape(Element e, String where) {
        Element g = child(e, "geometry");
        if (g == null) throw new UrdfException(where + ": <geometry> is missing");
        List<Element> kinds = children(g);
        if (kinds.size() != 1) throw new UrdfException(where + ": <geometry> must hold exactly one shape");
        Element k = kinds.get(0);
        String w = where + " <" + k.getTagName() + ">";
        Geometry geometry = switch (k.getTagName()) {
            case "box" -> {
                double[] s = vector(k, "size", null, w);
                yield new Geometry.Box(s[0], s[1], s[2]);
            }
            case "cylinder" -> new Geometry.Cylinder(number(k, "radius", w), number(k, "length", w));
            case "sphere" -> new Geometry.Sphere(number(k, "radius", w));
            case "mesh" -> {
                double[] s = vector(k, "scale", new double[] {1, 1, 1}, w);
                yield new Geometry.Mesh(required(k, "filename", w), s[0], s[1], s[2]);
            }
            default -> throw new UrdfException(w + ": unknown shape (box, cylinder, sphere or mesh)");
        };
        return new Shape(origin(e, where), geometry);
    }

    private static Joint joint(Element e) {
        String name = required(e, "name", "<joint>");
        String where = "joint '" + name + "'";
        String typeText = required(e, "type", where);
        Joint.Type type;
        try {
            type = Joint.Type.valueOf(typeText.toUpperCase());
        } catch (IllegalArgumentException ex) {
            throw new UrdfException(where + ": unknown type '" + typeText + "' (revolute, continuous, prismatic, fixed, floating, planar)");
        }
        Element parent = child(e, "parent");
        Element child = child(e, "child");
        if (parent == null) throw new UrdfException(where + ": <parent link=...> is missing");
        if (child == null) throw new UrdfException(where + ": <child link=...> is missing");
        double[] axis = child(e, "axis") == null ? new double[] {1, 0, 0} : vector(child(e, "axis"), "xyz", null, where + " <axis>");
        double norm = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        if (type != Joint.Type.FIXED && !(norm > 1e-9)) throw new UrdfException(where + ": <axis> must not be zero");
        if (norm > 1e-9) for (int i = 0; i < 3; i++) axis[i] /= norm;
        double lower = Double.NEGATIVE_INFINITY, upper = Double.POSITIVE_INFINITY;
        double effort = Double.POSITIVE_INFINITY, velocity = Double.POSITIVE_INFINITY;
        Element limit = child(e, "limit");
        if (limit != null) {
            String w = where + " <limit>";
            effort = number(limit, "effort", w);
            velocity = number(limit, "velocity", w);
            if (type != Joint.Type.CONTINUOUS) {
                lower = optionalNumber(limit, "lower", 0, w);
                upper = optionalNumber(limit, "upper", 0, w);
                if (lower > upper) throw new UrdfException(w + ": lower " + lower + " is above upper " + upper);
            }
        } else if (type == Joint.Type.REVOLUTE || type == Joint.Type.PRISMATIC) {
            throw new UrdfException(where + ": a " + typeText + " joint needs <limit effort=... velocity=... lower=... upper=...>");
        }
        double damping = 0, friction = 0;
        Element dyn = child(e, "dynamics");
        if (dyn != null) {
            damping = optionalNumber(dyn, "damping", 0, where + " <dynamics>");
            friction = optionalNumber(dyn, "friction", 0, where + " <dynamics>");
        }
        Joint.Mimic mimic = null;
        Element m = child(e, "mimic");
        if (m != null) {
            mimic = new Joint.Mimic(required(m, "joint", where + " <mimic>"),
                    optionalNumber(m, "multiplier", 1, where + " <mimic>"), optionalNumber(m, "offset", 0, where + " <mimic>"));
        }
        return new Joint(name, type, required(parent, "link", where + " <parent>"), required(child, "link", where + " <child>"),
                origin(e, where), axis, lower, upper, effort, velocity, damping, friction, mimic);
    }

    private static Transmission transmission(Element e) {
        String name = required(e, "name", "<transmission>");
        Element typeEl = child(e, "type");
        List<String> joints = new ArrayList<>();
        List<String> interfaces = new ArrayList<>();
        double reduction = 1;
        for (Element c : children(e)) {
            if (c.getTagName().equals("joint")) {
                joints.add(required(c, "name", "transmission '" + name + "' <joint>"));
                for (Element hw : children(c)) {
                    if (hw.getTagName().equals("hardwareInterface")) interfaces.add(hw.getTextContent().strip());
                }
            } else if (c.getTagName().equals("actuator")) {
                Element r = child(c, "mechanicalReduction");
                if (r != null) reduction = parse(r.getTextContent(), "transmission '" + name + "' <mechanicalReduction>");
            }
        }
        return new Transmission(name, typeEl == null ? "" : typeEl.getTextContent().strip(), joints, interfaces, reduction);
    }

    private static Pose origin(Element e, String where) {
        Element o = child(e, "origin");
        if (o == null) return Pose.IDENTITY;
        double[] xyz = vector(o, "xyz", new double[3], where + " <origin>");
        double[] rpy = vector(o, "rpy", new double[3], where + " <origin>");
        return new Pose(xyz[0], xyz[1], xyz[2], rpy[0], rpy[1], rpy[2]);
    }

    private static double[] vector(Element e, String attr, double[] fallback, String where) {
        if (!e.hasAttribute(attr)) {
            if (fallback != null) return fallback.clone();
            throw new UrdfException(where + ": attribute '" + attr + "' is missing");
        }
        String[] parts = e.getAttribute(attr).strip().split("\\s+");
        if (parts.length != 3) throw new UrdfException(where + ": " + attr + "=\"" + e.getAttribute(attr) + "\" needs three numbers");
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) v[i] = parse(parts[i], where + " " + attr);
        return v;
    }

    private static double number(Element e, String attr, String where) {
        if (!e.hasAttribute(attr)) throw new UrdfException(where + ": attribute '" + attr + "' is missing");
        return parse(e.getAttribute(attr), where + " " + attr);
    }

    private static double optionalNumber(Element e, String attr, double fallback, String where) {
        return e.hasAttribute(attr) ? parse(e.getAttribute(attr), where + " " + attr) : fallback;
    }

    private static double parse(String text, String where) {
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isNaN(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new UrdfException(where + ": '" + text + "' is not a number");
        }
    }

    private static String required(Element e, String attr, String where) {
        String v = e.getAttribute(attr);
        if (v.isEmpty()) throw new UrdfException(where + ": attribute '" + attr + "' is missing");
        return v;
    }

    private static String attr(Element e, String attr, String fallback) {
        String v = e.getAttribute(attr);
        return v.isEmpty() ? fallback : v;
    }

    private static Element child(Element e, String tag) {
        for (Element c : children(e)) if (c.getTagName().equals(tag)) return c;
        return null;
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) out.add((Element) nodes.item(i));
        }
        return out;
    }
}
