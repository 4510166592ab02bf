package org.teachlearn.nodes.tools;

import static org.teachlearn.nodes.tools.XmlRpcArrays.list;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.teachlearn.ros.node.MasterClient;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.param.YamlScalars;

/**
 * The graph command line, for machines without ROS, taking the arguments and printing what
 * {@code rostopic}, {@code rosnode}, {@code rosservice} and {@code rosparam} print. Lists, info and
 * parameters are master calls only (the tool does not join the graph it looks at); echo, pub, hz
 * and bw join as an anonymous node ({@link TopicStreams}); node info/kill/ping talk to the node
 * ({@link NodeInspect}); service calls go to the provider ({@link ServiceCalls}).
 */
public final class GraphCommand {

    private GraphCommand() {
    }

    public static void run(String tool, List<String> args) throws Exception {
        if (args.isEmpty()) throw new IllegalArgumentException(usage(tool));
        List<String> ros = new ArrayList<>(), rest = new ArrayList<>();
        for (String a : args.subList(1, args.size())) (a.contains(":=") && !a.contains(" ") ? ros : rest).add(a);
        if (tool.equals("topic") && List.of("echo", "pub", "hz", "bw").contains(args.get(0))) {
            try {
                TopicStreams.run(args.get(0), rest, ros);
                return;
            } catch (java.net.ConnectException e) {
                throw noMaster(NodeArgs.parse(tool, ros.toArray(new String[0])).masterUri().toString());
            }
        }
        // Only master calls: like rostopic & co., the tool does not join the graph it looks at.
        NodeArgs nodeArgs = NodeArgs.parse(tool + "_" + ProcessHandle.current().pid(), ros.toArray(new String[0]));
        MasterClient master = new MasterClient(nodeArgs.masterUri(), "/" + tool + "_" + ProcessHandle.current().pid());
        try {
            System.out.print(switch (tool + " " + args.get(0)) {
                case "topic list" -> lines(topics(master).keySet());
                case "topic info" -> topicInfo(master, one(rest, "topic info TOPIC"));
                case "node list" -> lines(nodes(master));
                case "service list" -> lines(services(master));
                case "param list" -> lines(paramNames(master));
                case "param get" -> yaml(master.call("getParam", one(rest, "param get NAME"))) + "\n";
                case "param set" -> {
                    if (rest.size() != 2) throw new IllegalArgumentException("usage: param set NAME VALUE");
                    master.call("setParam", rest.get(0), YamlScalars.parse(rest.get(1)));
                    yield "";
                }
                case "param delete" -> {
                    master.call("deleteParam", one(rest, "param delete NAME"));
                    yield "";
                }
                case "param load" -> load(master, rest);
                case "param dump" -> dump(master, rest);
                case "node info", "node kill", "node ping" -> NodeInspect.run(args.get(0), rest, master);
                case "service info", "service type", "service uri", "service call" -> ServiceCalls.run(args.get(0), rest, master, nodeArgs);
                default -> throw new IllegalArgumentException(usage(tool));
            });
        } catch (java.net.ConnectException e) {
            throw noMaster(master.uri().toString());
        }
    }

    private static IllegalArgumentException noMaster(String uri) {
        return new IllegalArgumentException("unable to communicate with the master at " + uri
                + " (is roscore or ./teach_learn master running? ROS_MASTER_URI says where)");
    }

    /** {@code param load FILE [NAMESPACE]}: a YAML file's dictionary under the namespace, as rosparam load. */
    private static String load(MasterClient master, List<String> rest) throws Exception {
        if (rest.isEmpty() || rest.size() > 2) throw new IllegalArgumentException("usage: param load FILE [NAMESPACE]");
        Object data = org.teachlearn.ros.launch.LaunchValues.yaml(java.nio.file.Files.readString(java.nio.file.Path.of(rest.get(0))));
        String ns = rest.size() > 1 ? rest.get(1) : "/";
        if (!(data instanceof Map<?, ?> m)) {
            if (ns.equals("/")) throw new IllegalArgumentException("ERROR: " + rest.get(0) + " is not a dictionary: give a NAMESPACE to load it as");
            master.call("setParam", ns, data);
            return "";
        }
        for (var e : m.entrySet()) {
            String name = (ns.endsWith("/") ? ns : ns + "/") + e.getKey();
            master.call("setParam", name.startsWith("/") ? name : "/" + name, e.getValue());
        }
        return "";
    }

    /** {@code param dump [FILE] [NAMESPACE]}: the tree as YAML, to a file or standard output. */
    private static String dump(MasterClient master, List<String> rest) throws Exception {
        if (rest.size() > 2) throw new IllegalArgumentException("usage: param dump [FILE] [NAMESPACE]");
        Object tree = master.call("getParam", rest.size() > 1 ? rest.get(1) : "/");
        String text = org.teachlearn.ros.launch.LaunchValues.toYaml(tree);
        if (rest.isEmpty() || rest.get(0).equals("-")) return text;
        java.nio.file.Files.writeString(java.nio.file.Path.of(rest.get(0)), text);
        return "";
    }

    static String usage(String tool) {
        return switch (tool) {
            case "topic" -> "usage: ./teach_learn topic list | info TOPIC | echo [-n N] TOPIC[/FIELD] | pub [-r RATE | -1] [-l] TOPIC TYPE [YAML...]"
                    + " | hz [-w N] TOPIC | bw [-w N] TOPIC";
            case "node" -> "usage: ./teach_learn node list | info NODE... | kill NODE... | ping NODE";
            case "service" -> "usage: ./teach_learn service list | info NAME | type NAME | uri NAME | call NAME [YAML...]";
            default -> "usage: ./teach_learn param list | get NAME | set NAME VALUE | delete NAME | load FILE [NS] | dump [FILE] [NS]";
        };
    }

    private static String one(List<String> rest, String usage) {
        if (rest.size() != 1) throw new IllegalArgumentException("usage: " + usage);
        return rest.get(0);
    }

    private static String lines(java.util.Collection<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) sb.append(n).append('\n');
        return sb.toString();
    }

    /** Every topic with a publisher or a subscriber, and its type (as rostopic list). */
    static Map<String, String> topics(MasterClient master) throws Exception {
        Map<String, String> topics = new TreeMap<>();
        for (Object pair : list(master.call("getTopicTypes"))) topics.put((String) list(pair).get(0), (String) list(pair).get(1));
        List<?> state = list(master.call("getSystemState"));
        for (int k = 0; k < 2; k++) for (Object e : list(state.get(k))) topics.putIfAbsent((String) list(e).get(0), "*");
        return topics;
    }

    static String topicInfo(MasterClient master, String topic) throws Exception {
        String type = topics(master).get(topic);
        if (type == null) throw new IllegalArgumentException("ERROR: Unknown topic " + topic);
        List<?> state = list(master.call("getSystemState"));
        StringBuilder sb = new StringBuilder("Type: " + type + "\n\n");
        String[] titles = {"Publishers: ", "Subscribers: "};
        for (int k = 0; k < 2; k++) {
            sb.append(titles[k]);
            TreeSet<String> who = new TreeSet<>();
            for (Object e : list(state.get(k))) if (list(e).get(0).equals(topic)) for (Object n : list(list(e).get(1))) who.add((String) n);
            if (who.isEmpty()) sb.append("None\n");
            else {
                sb.append('\n');
                for (String n : who) sb.append(" * ").append(n).append(" (").append(master.call("lookupNode", n)).append(")\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static TreeSet<String> nodes(MasterClient master) throws Exception {
        TreeSet<String> nodes = new TreeSet<>();
        for (Object kind : list(master.call("getSystemState"))) for (Object e : list(kind)) for (Object n : list(list(e).get(1))) nodes.add((String) n);
        return nodes;
    }

    static TreeSet<String> services(MasterClient master) throws Exception {
        TreeSet<String> services = new TreeSet<>();
        for (Object e : list(list(master.call("getSystemState")).get(2))) services.add((String) list(e).get(0));
        return services;
    }

    static TreeSet<String> paramNames(MasterClient master) throws Exception {
        TreeSet<String> names = new TreeSet<>();
        for (Object n : list(master.call("getParamNames"))) names.add((String) n);
        return names;
    }

    /** A parameter value as rosparam get prints it (scalars; block YAML for lists and dictionaries). */
    static String yaml(Object v) {
        StringBuilder sb = new StringBuilder();
        yaml(v, "", sb);
        return sb.toString().stripTrailing();
    }

    private static void yaml(Object v, String indent, StringBuilder sb) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                sb.append(indent).append(e.getKey()).append(':');
                if (e.getValue() instanceof Map<?, ?> m2 && !m2.isEmpty()) {
                    sb.append('\n');
                    yaml(e.getValue(), indent + "  ", sb);
                } else if ((e.getValue() instanceof List<?> l && !l.isEmpty()) || (e.getValue() instanceof Object[] a && a.length > 0)) {
                    sb.append('\n');
                    yaml(e.getValue(), indent, sb);   // PyYAML puts a mapping's sequence at the key's indentation
                } else {
                    sb.append(' ').append(scalar(e.getValue())).append('\n');
                }
            }
        } else if (v instanceof List<?> || v instanceof Object[]) {
            for (Object o : list(v)) {
                sb.append(indent).append("- ");
                if (o instanceof Map<?, ?> || o instanceof List<?>) {
                    sb.append('\n');
                    yaml(o, indent + "  ", sb);
                } else {
                    sb.append(scalar(o)).append('\n');
                }
            }
        } else {
            sb.append(indent).append(scalar(v)).append('\n');
        }
    }

    private static String scalar(Object o) {
        if (o instanceof String s) {
            boolean plain = !s.isEmpty() && !(YamlScalars.parse(s) instanceof Number) && !(YamlScalars.parse(s) instanceof Boolean)
                    && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "/_-. ".indexOf(c) >= 0) && !s.startsWith(" ") && !s.endsWith(" ");
            return plain ? s : "'" + s.replace("'", "''") + "'";
        }
        if (o instanceof Boolean b) return b ? "true" : "false";
        return String.valueOf(o);
    }
}
