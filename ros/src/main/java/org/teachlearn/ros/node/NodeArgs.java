package org.teachlearn.ros.node;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.ros.names.Names;
import org.teachlearn.ros.param.YamlScalars;

/**
 * A node's identity and wiring from the standard ROS command line and environment:
 * {@code from:=to} remaps, {@code _param:=value} private parameters, {@code __name:=},
 * {@code __ns:=}, {@code __master:=}, {@code __ip:=}, {@code __hostname:=}, {@code __log:=}, and
 * {@code ROS_MASTER_URI}, {@code ROS_IP}, {@code ROS_HOSTNAME}, {@code ROS_NAMESPACE}.
 */
public final class NodeArgs {

    private String name;
    private String namespace = "/";
    private URI masterUri = URI.create("http://localhost:11311/");
    private String host;
    private String logDir;
    private final Map<String, String> remapsRaw = new LinkedHashMap<>();
    private final Map<String, Object> privateParams = new LinkedHashMap<>();
    private final List<String> rest = new ArrayList<>();

    private NodeArgs(String defaultName) {
        this.name = defaultName;
    }

    public static NodeArgs parse(String defaultName, String[] args) {
        return parse(defaultName, args, System.getenv());
    }

    public static NodeArgs parse(String defaultName, String[] args, Map<String, String> env) {
        NodeArgs a = new NodeArgs(defaultName);
        if (env.get("ROS_MASTER_URI") != null && !env.get("ROS_MASTER_URI").isBlank()) {
            a.masterUri = masterUri(env.get("ROS_MASTER_URI"));
        }
        if (env.get("ROS_NAMESPACE") != null && !env.get("ROS_NAMESPACE").isBlank()) {
            a.namespace = env.get("ROS_NAMESPACE");
        }
        if (env.get("ROS_IP") != null && !env.get("ROS_IP").isBlank()) a.host = env.get("ROS_IP");
        else if (env.get("ROS_HOSTNAME") != null && !env.get("ROS_HOSTNAME").isBlank()) a.host = env.get("ROS_HOSTNAME");
        for (String arg : args) {
            int sep = arg.indexOf(":=");
            if (sep <= 0) {
                a.rest.add(arg);
                continue;
            }
            String key = arg.substring(0, sep);
            String value = arg.substring(sep + 2);
            if (key.startsWith("__")) {
                switch (key) {
                    case "__name" -> a.name = value;
                    case "__ns" -> a.namespace = value;
                    case "__master" -> a.masterUri = masterUri(value);
                    case "__ip", "__hostname" -> a.host = value;
                    case "__log" -> a.logDir = value;
                    default -> { /* other special keys (e.g. __port) are for other client libraries */ }
                }
            } else if (key.startsWith("_")) {
                a.privateParams.put(key.substring(1), YamlScalars.parse(value));
            } else {
                a.remapsRaw.put(key, value);
            }
        }
        if (a.host == null) a.host = defaultHost();
        a.namespace = Names.canonical(Names.ensureGlobal(a.namespace));
        if (a.name.contains("/")) {
            throw new IllegalArgumentException("node name '" + a.name + "' must not contain '/'; use __ns:= for a namespace");
        }
        if (!Names.isLegal(a.name) || a.name.isEmpty()) {
            throw new IllegalArgumentException("'" + a.name + "' is not a legal node name");
        }
        return a;
    }

    private static URI masterUri(String text) {
        URI u = URI.create(text.strip());
        if (u.getHost() == null || u.getPort() < 0) {
            throw new IllegalArgumentException("master URI '" + text + "' needs a host and a port, e.g. http://localhost:11311/");
        }
        return u;
    }

    private static String defaultHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** Makes this node anonymous, as {@code init_node(anonymous=True)} does. */
    public NodeArgs anonymous() {
        name = name + "_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis();
        return this;
    }

    public NodeArgs withMaster(URI uri) {
        masterUri = uri;
        return this;
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public String fullName() {
        return Names.join(namespace, name);
    }

    public URI masterUri() {
        return masterUri;
    }

    public String host() {
        return host;
    }

    public String logDir() {
        return logDir;
    }

    /** Remappings resolved as rospy resolves them: both sides in the node's namespace, ~ under its name. */
    public Map<String, String> remaps() {
        Map<String, String> out = new LinkedHashMap<>();
        String full = fullName();
        remapsRaw.forEach((k, v) -> out.put(Names.resolve(k, namespace, full), Names.resolve(v, namespace, full)));
        return out;
    }

    public Map<String, Object> privateParams() {
        return Collections.unmodifiableMap(privateParams);
    }

    /** Arguments that are not ROS arguments, for the program itself. */
    public List<String> rest() {
        return Collections.unmodifiableList(rest);
    }
}
