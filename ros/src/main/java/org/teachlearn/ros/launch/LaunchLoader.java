package org.teachlearn.ros.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.teachlearn.ros.launch.LaunchXml.Element;

/**
 * Reads roslaunch XML into a {@link LaunchConfig}, following roslaunch's rules: args are local to
 * their file (and to a group), passed explicitly or with {@code pass_all_args}; remaps, env and
 * namespaces are scoped to groups, includes and nodes; {@code if}/{@code unless} work on every tag;
 * a later parameter overrides an earlier one. Every error names the file and line.
 */
public final class LaunchLoader {

    private static final Set<String> NODE_ATTRS = Set.of("pkg", "type", "name", "ns", "args", "output", "respawn", "respawn_delay",
            "required", "cwd", "launch-prefix", "machine", "clear_params", "if", "unless");
    private static final Set<String> PARAM_ATTRS = Set.of("name", "value", "type", "textfile", "binfile", "command", "if", "unless");
    private static final Set<String> ROSPARAM_ATTRS = Set.of("command", "file", "param", "ns", "subst_value", "if", "unless");
    private static final Set<String> INCLUDE_ATTRS = Set.of("file", "ns", "clear_params", "pass_all_args", "if", "unless");

    private final Substitutions subst;
    private final LaunchConfig config = new LaunchConfig();
    // Files being included, outermost first. A file may include itself, as roslaunch allows (a worker
    // file that includes itself with index + 1 until an if= ends it); only runaway depth is an error.
    private final java.util.ArrayDeque<Path> including = new java.util.ArrayDeque<>();
    private static final int MAX_INCLUDE_DEPTH = 256;

    private LaunchLoader(RosPackages packages, Map<String, String> environment) {
        this.subst = new Substitutions(packages, environment);
    }

    /** Loads {@code file} with the command line's {@code name:=value} args. */
    public static LaunchConfig load(Path file, Map<String, String> args, RosPackages packages, Map<String, String> environment) {
        LaunchLoader l = new LaunchLoader(packages, environment);
        Path abs = file.toAbsolutePath().normalize();
        Element root = LaunchXml.read(abs);
        Scope top = new Scope(abs, "/", new LinkedHashMap<>(args), new LinkedHashSet<>(), false,
                new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        l.launchFile(root, top);
        Set<String> unused = new LinkedHashSet<>(args.keySet());
        unused.removeAll(top.declared);
        if (!unused.isEmpty()) throw new LaunchException(abs, root.line(), "unused args " + unused + ": the launch file declares no such <arg>");
        return l.config;
    }

    /** Where a tag is: its file, namespace, visible args, remaps, environment and the private params given to nodes. */
    private record Scope(Path file, String ns, Map<String, String> args, Set<String> declared, boolean passAll,
            Map<String, String> remaps, Map<String, String> env, Map<String, Object> privateParams) {

        /** A group's scope: args, remaps, env and ~params copied so the group's own stay inside it. */
        Scope group(String namespace) {
            return new Scope(file, namespace, new LinkedHashMap<>(args), new LinkedHashSet<>(declared), passAll,
                    new LinkedHashMap<>(remaps), new LinkedHashMap<>(env), new LinkedHashMap<>(privateParams));
        }
    }

    private void launchFile(Element root, Scope scope) {
        if (!root.tag().equals("launch")) throw root.error("the root element must be <launch>, not <" + root.tag() + ">");
        if (including.size() >= MAX_INCLUDE_DEPTH) {
            throw root.error("includes nest more than " + MAX_INCLUDE_DEPTH + " deep (a file that includes itself without an if= that ends it?)");
        }
        including.addLast(scope.file());
        try {
            children(root, scope);
        } finally {
            including.removeLast();
        }
    }

    private void children(Element parent, Scope scope) {
        for (Element e : parent.children()) {
            try {
                if (!enabled(e, scope)) continue;
                switch (e.tag()) {
                    case "arg" -> arg(e, scope);
                    case "node" -> node(e, scope);
                    case "param" -> param(e, scope, null);
                    case "rosparam" -> rosparam(e, scope, scope.ns());
                    case "remap" -> remap(e, scope, scope.remaps());
                    case "env" -> env(e, scope, scope.env());
                    case "group" -> group(e, scope);
                    case "include" -> include(e, scope);
                    case "machine" -> machine(e, scope);
                    case "test" -> config.warnings.add(where(e) + ": <test> is for rostest; launch ignores it");
                    default -> config.warnings.add(where(e) + ": unknown tag <" + e.tag() + "> ignored");
                }
            } catch (LaunchException ex) {
                throw ex;
            } catch (IllegalArgumentException | IOException ex) {
                throw e.error("<" + e.tag() + ">: " + ex.getMessage());
            }
        }
    }

    private static String where(Element e) {
        return e.file() + ":" + e.line();
    }

    /** Attribute value with substitutions; null when absent. */
    private String attr(Element e, Scope s, String name) {
        String v = e.attr(name);
        return v == null ? null : subst.resolve(v, s.args(), s.file());
    }

    private String required(Element e, Scope s, String name) {
        String v = attr(e, s, name);
        if (v == null || v.isBlank()) throw e.error("<" + e.tag() + "> needs the attribute '" + name + "'");
        return v;
    }

    private boolean enabled(Element e, Scope s) {
        String ifAttr = e.attr("if"), unless = e.attr("unless");
        if (ifAttr != null && unless != null) throw e.error("<" + e.tag() + "> has both if and unless");
        if (ifAttr != null) return bool(e, "if", attr(e, s, "if"));
        if (unless != null) return !bool(e, "unless", attr(e, s, "unless"));
        return true;
    }

    private static boolean bool(Element e, String attribute, String value) {
        String v = value.strip().toLowerCase();
        if (v.equals("true") || v.equals("1")) return true;
        if (v.equals("false") || v.equals("0")) return false;
        throw e.error(attribute + "=\"" + value + "\" is not a boolean (true, false, 1 or 0)");
    }

    private boolean boolAttr(Element e, Scope s, String name, boolean fallback) {
        String v = attr(e, s, name);
        return v == null ? fallback : bool(e, name, v);
    }

    private void checkAttributes(Element e, Set<String> known) {
        for (String a : e.attributes().keySet()) {
            if (!known.contains(a)) config.warnings.add(where(e) + ": unknown <" + e.tag() + "> attribute '" + a + "' ignored");
        }
    }

    // --- tags ---

    private void arg(Element e, Scope s) {
        checkAttributes(e, Set.of("name", "default", "value", "doc", "if", "unless"));
        String name = required(e, s, "name");
        String value = attr(e, s, "value"), dflt = attr(e, s, "default");
        if (value != null && dflt != null) throw e.error("<arg name=\"" + name + "\"> has both value and default");
        if (!s.declared().add(name) && !s.passAll()) throw e.error("arg '" + name + "' has already been declared");
        if (value != null) {
            if (s.args().get(name) != null && !s.passAll()) throw e.error("cannot override arg '" + name + "', which has a fixed value");
            s.args().put(name, value);
        } else if (dflt != null) {
            s.args().putIfAbsent(name, dflt);
            if (s.args().get(name) == null) s.args().put(name, dflt);
        } else {
            s.args().putIfAbsent(name, null);
        }
    }

    private void group(Element e, Scope s) {
        checkAttributes(e, Set.of("ns", "clear_params", "if", "unless"));
        String ns = attr(e, s, "ns");
        Scope child = s.group(ns == null ? s.ns() : namespace(s.ns(), ns));
        if (boolAttr(e, s, "clear_params", false)) {
            if (ns == null) throw e.error("<group clear_params=\"true\"> needs an ns");
            config.clearParams.add(child.ns());
        }
        children(e, child);
    }

    private void include(Element e, Scope s) {
        checkAttributes(e, INCLUDE_ATTRS);
        Path file = Path.of(required(e, s, "file"));
        if (!file.isAbsolute()) file = s.file().getParent().resolve(file);
        file = file.normalize();
        String ns = attr(e, s, "ns");
        boolean passAll = boolAttr(e, s, "pass_all_args", false);
        Map<String, String> passed = new LinkedHashMap<>();
        if (passAll) passed.putAll(s.args());
        Map<String, String> env = new LinkedHashMap<>(s.env());
        for (Element c : e.children()) {
            if (!enabled(c, s)) continue;
            switch (c.tag()) {
                case "arg" -> {
                    String name = required(c, s, "name");
                    String value = attr(c, s, "value");
                    if (value == null) value = attr(c, s, "default");
                    if (value == null) throw c.error("<arg name=\"" + name + "\"> of an <include> needs a value");
                    passed.put(name, value);
                }
                case "env" -> env(c, s, env);
                default -> config.warnings.add(where(c) + ": <" + c.tag() + "> inside <include> ignored (only arg and env belong there)");
            }
        }
        String childNs = ns == null ? s.ns() : namespace(s.ns(), ns);
        if (boolAttr(e, s, "clear_params", false)) {
            if (ns == null) throw e.error("<include clear_params=\"true\"> needs an ns");
            config.clearParams.add(childNs);
        }
        Element root = LaunchXml.read(file);
        Scope child = new Scope(file, childNs, new LinkedHashMap<>(passed), new LinkedHashSet<>(), passAll,
                new LinkedHashMap<>(s.remaps()), env, new LinkedHashMap<>(s.privateParams()));
        launchFile(root, child);
        if (!passAll) {
            Set<String> unused = new LinkedHashSet<>(passed.keySet());
            unused.removeAll(child.declared());
            if (!unused.isEmpty()) throw e.error("unused args " + unused + " for include of " + file);
        }
    }

    private void remap(Element e, Scope s, Map<String, String> into) {
        checkAttributes(e, Set.of("from", "to", "if", "unless"));
        into.put(required(e, s, "from"), required(e, s, "to"));
    }

    private void env(Element e, Scope s, Map<String, String> into) {
        checkAttributes(e, Set.of("name", "value", "if", "unless"));
        String value = attr(e, s, "value");
        if (value == null) throw e.error("<env> needs the attribute 'value'");
        into.put(required(e, s, "name"), value);
    }

    private void machine(Element e, Scope s) {
        checkAttributes(e, Set.of("name", "address", "env-loader", "default", "user", "password", "timeout", "ssh-port", "if", "unless"));
        String name = required(e, s, "name");
        String dflt = attr(e, s, "default");
        boolean isDefault = dflt != null && (dflt.equalsIgnoreCase("true") || dflt.equalsIgnoreCase("1"));
        config.machines.put(name, new LaunchConfig.Machine(name, required(e, s, "address"), isDefault));
    }

    /**
     * A {@code <param>}: private ({@code ~name}) ones outside a node go to the nodes that follow in the scope; a node's own go to
     * {@code nodeParams}, which the node sets after its {@code <rosparam>} children (see {@link #node}).
     */
    private void param(Element e, Scope s, Map<String, Object> nodeParams) throws IOException {
        checkAttributes(e, PARAM_ATTRS);
        String name = required(e, s, "name").strip();
        String type = attr(e, s, "type");
        String value = attr(e, s, "value"), textfile = attr(e, s, "textfile"), binfile = attr(e, s, "binfile"), command = attr(e, s, "command");
        int given = (value != null ? 1 : 0) + (textfile != null ? 1 : 0) + (binfile != null ? 1 : 0) + (command != null ? 1 : 0);
        if (given != 1) throw e.error("<param name=\"" + name + "\"> needs exactly one of value, textfile, binfile, command");
        Object v;
        String t = type == null ? "auto" : type;
        if (value != null) {
            v = LaunchValues.convert(value.strip(), t);
        } else if (textfile != null) {
            v = LaunchValues.convert(Files.readString(Path.of(textfile)), t);
        } else if (binfile != null) {
            v = Files.readAllBytes(Path.of(binfile));
        } else {
            v = LaunchValues.convert(runCommand(command), t);
        }
        if (nodeParams != null) {
            laterPlace(nodeParams, name, v);
        } else if (name.startsWith("~")) {
            laterPlace(s.privateParams(), name.substring(1), v);
        } else {
            put(join(s.ns(), name), v, e);
        }
    }

    private static String privateName(String nodeFullName, String name) {
        if (name.startsWith("/")) return name;
        return join(nodeFullName + "/", name.startsWith("~") ? name.substring(1) : name);
    }

    /**
     * Sets a parameter as roslaunch's {@code ROSLaunchConfig.params} (a Python dict) does: a later setting wins but keeps the first
     * one's place, and that order is the order of setParam calls, hence of the master's dictionary keys.
     */
    private void put(String name, Object value, Element e) {
        if (value == null) throw e.error("parameter " + name + " has no value");
        config.params.put(name, value);
    }

    /** roslaunch's {@code LoaderContext.add_param} for ~params (a list): a later setting replaces the earlier and moves to the end. */
    private static void laterPlace(Map<String, Object> params, String name, Object value) {
        params.remove(name);
        params.put(name, value);
    }

    /** {@code <param command=...>}: the command's standard output, as roslaunch takes it (split like a shell, no shell). */
    private static String runCommand(String command) throws IOException {
        List<String> argv = ShellWords.split(command);
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("command '" + command + "' did not finish within 60 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while running '" + command + "'");
        }
        if (p.exitValue() != 0) throw new IllegalArgumentException("command '" + command + "' exited with " + p.exitValue());
        return new String(out, StandardCharsets.UTF_8);
    }

    private void rosparam(Element e, Scope s, String ns) throws IOException {
        checkAttributes(e, ROSPARAM_ATTRS);
        String command = attr(e, s, "command");
        if (command == null) command = "load";
        String file = attr(e, s, "file");
        String nsAttr = attr(e, s, "ns"), paramAttr = attr(e, s, "param");
        String param = nsAttr == null ? "" : nsAttr;
        if (paramAttr != null) param = param.isEmpty() ? paramAttr : param + "/" + paramAttr;
        String full = param.isEmpty() ? ns : join(ns, param);
        switch (command) {
            case "dump" -> {
                if (file == null) throw e.error("<rosparam command=\"dump\"> needs a file");
                config.setup.add(new LaunchConfig.SetupAction("dump", full, file));
            }
            case "delete" -> {
                if (file != null) throw e.error("<rosparam command=\"delete\"> takes no file");
                config.setup.add(new LaunchConfig.SetupAction("delete", full, null));
            }
            case "load" -> {
                String text = file != null ? Files.readString(Path.of(file)) : e.text();
                if (file != null && !Files.isRegularFile(Path.of(file))) throw e.error("no such file " + file);
                if (boolAttr(e, s, "subst_value", false)) text = subst.resolve(text, s.args(), s.file());
                Object data;
                try {
                    data = LaunchValues.yaml(text);
                } catch (IllegalArgumentException ex) {
                    throw e.error((file != null ? file + ": " : "") + ex.getMessage());
                }
                if (data == null) data = Map.of();
                if (param.isEmpty() && !(data instanceof Map)) throw e.error("<rosparam> of a value that is not a dictionary needs a param name");
                flatten(full, data, e);
            }
            default -> throw e.error("<rosparam command=\"" + command + "\">: the command must be load, dump or delete");
        }
    }

    /**
     * Dictionaries become one parameter per leaf, as roslaunch sets them (so they merge with what is there); an empty dictionary
     * sets nothing, as in roslaunch.
     */
    private void flatten(String name, Object value, Element e) {
        if (value instanceof Map<?, ?> m) {
            for (var entry : m.entrySet()) flatten(join(name + "/", String.valueOf(entry.getKey())), entry.getValue(), e);
        } else {
            put(name.length() > 1 && name.endsWith("/") ? name.substring(0, name.length() - 1) : name, value, e);
        }
    }

    private void node(Element e, Scope s) throws IOException {
        checkAttributes(e, NODE_ATTRS);
        String pkg = required(e, s, "pkg"), type = required(e, s, "type"), name = required(e, s, "name");
        if (name.contains("/")) throw e.error("node name '" + name + "' cannot contain a namespace: use ns");
        String nsAttr = attr(e, s, "ns");
        String ns = nsAttr == null ? s.ns() : namespace(s.ns(), nsAttr);
        String fullName = join(ns, name);
        for (LaunchNode other : config.nodes) {
            if (other.fullName().equals(fullName)) throw e.error("a second node named " + fullName + " (the first is at " + other.where() + ")");
        }
        boolean respawn = boolAttr(e, s, "respawn", false), required = boolAttr(e, s, "required", false);
        if (respawn && required) throw e.error("a node cannot be both respawn and required");
        String delay = attr(e, s, "respawn_delay");
        double respawnDelay;
        try {
            respawnDelay = delay == null ? 0 : Double.parseDouble(delay);
        } catch (NumberFormatException ex) {
            throw e.error("respawn_delay '" + delay + "' is not a number");
        }
        String output = attr(e, s, "output");
        if (output != null && !output.equals("log") && !output.equals("screen")) throw e.error("output must be log or screen, not '" + output + "'");
        String cwd = attr(e, s, "cwd");
        if (cwd != null && !cwd.equals("node") && !cwd.equals("ROS_HOME") && !cwd.equals("ros-root")) throw e.error("cwd must be node or ROS_HOME, not '" + cwd + "'");
        String machine = attr(e, s, "machine");
        if (machine != null && machine.isEmpty()) machine = null;   // as roslaunch: machine="" is this computer (or the default machine)
        if (machine != null && !config.machines.containsKey(machine)) throw e.error("machine '" + machine + "' is not declared");
        if (boolAttr(e, s, "clear_params", false)) config.clearParams.add(fullName + "/");

        // roslaunch's order (xmlloader._node_tag): <rosparam> children are set as they come; <param> children wait, and after the
        // tag the scope's ~params are set, then the node's own <param>s. rospy.get_param('~') lists the keys in that order.
        Map<String, String> remaps = new LinkedHashMap<>(s.remaps());
        Map<String, String> env = new LinkedHashMap<>(s.env());
        Map<String, Object> ownParams = new LinkedHashMap<>();
        Scope inside = s.group(ns);
        for (Element c : e.children()) {
            try {
                if (!enabled(c, s)) continue;
                switch (c.tag()) {
                    case "remap" -> remap(c, s, remaps);
                    case "env" -> env(c, s, env);
                    case "param" -> param(c, inside, ownParams);
                    case "rosparam" -> rosparam(c, inside, fullName + "/");
                    default -> config.warnings.add(where(c) + ": <" + c.tag() + "> inside <node> ignored");
                }
            } catch (LaunchException ex) {
                throw ex;
            } catch (IllegalArgumentException ex) {
                throw c.error("<" + c.tag() + ">: " + ex.getMessage());
            }
        }
        for (var p : s.privateParams().entrySet()) put(privateName(fullName, p.getKey()), p.getValue(), e);
        for (var p : ownParams.entrySet()) put(privateName(fullName, p.getKey()), p.getValue(), e);
        String args = attr(e, s, "args");
        config.nodes.add(new LaunchNode(pkg, type, name, ns, args == null ? List.of() : ShellWords.split(args), output == null ? "log" : output,
                respawn, respawnDelay, required, cwd == null ? "ROS_HOME" : cwd, attr(e, s, "launch-prefix"), machine, remaps, env, e.file(), e.line()));
    }

    // --- names ---

    /** A namespace ("/a/b/") for {@code ns} seen from {@code parent}. */
    private static String namespace(String parent, String ns) {
        String n = ns.startsWith("/") ? ns : parent + ns;
        n = n.replaceAll("/+", "/");
        return n.endsWith("/") ? n : n + "/";
    }

    /** {@code name} under namespace {@code ns} (global names stay as they are). */
    static String join(String ns, String name) {
        if (name.startsWith("/")) return name;
        if (name.isEmpty()) return ns;
        String n = (ns.endsWith("/") ? ns : ns + "/") + name;
        return n.replaceAll("/+", "/");
    }
}
