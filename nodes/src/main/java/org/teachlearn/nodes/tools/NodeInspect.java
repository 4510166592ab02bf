package org.teachlearn.nodes.tools;

import static org.teachlearn.nodes.tools.XmlRpcArrays.list;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.teachlearn.ros.node.MasterClient;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/** {@code node info|kill|ping}, as rosnode does them: master state plus the node's own slave API. */
final class NodeInspect {

    private static final Pattern CONNECTION = Pattern.compile("\\w+ connection on port (\\d+) to \\[(.*) on socket (\\d+)\\]");

    private NodeInspect() {
    }

    static String run(String command, List<String> rest, MasterClient master) throws Exception {
        if (rest.isEmpty()) throw new IllegalArgumentException(GraphCommand.usage("node"));
        return switch (command) {
            case "info" -> {
                StringBuilder sb = new StringBuilder();
                for (String n : rest) sb.append(info(master, global(n)));
                yield sb.toString();
            }
            case "kill" -> {
                StringBuilder sb = new StringBuilder();
                for (String n : rest) {
                    String name = global(n);
                    call(api(master, name), "shutdown", "/rosnode", "user request");
                    sb.append("killing ").append(name).append("\nkilled\n");
                }
                yield sb.toString();
            }
            case "ping" -> {
                String name = global(rest.get(0));
                URI api = api(master, name);
                long t0 = System.nanoTime();
                call(api, "getPid", "/rosnode");
                yield String.format("rosnode: node is [%s]%npinging %s with a timeout of 3.0s%nxmlrpc reply from %s\ttime=%.6fms%n", name, name, api,
                        (System.nanoTime() - t0) / 1e6);
            }
            default -> throw new IllegalArgumentException(GraphCommand.usage("node"));
        };
    }

    private static String global(String name) {
        return name.startsWith("/") ? name : "/" + name;
    }

    private static URI api(MasterClient master, String node) throws Exception {
        try {
            return URI.create((String) master.call("lookupNode", node));
        } catch (MasterClient.MasterException e) {
            throw new IllegalArgumentException("ERROR: Unknown node " + node);
        }
    }

    /** A slave API call; the value of a [code, status, value] reply. */
    private static Object call(URI api, String method, Object... args) throws Exception {
        List<?> reply = list(new XmlRpcClient(api, 5_000, 16 << 20).call(method, args));
        if (((Number) reply.get(0)).intValue() != 1) throw new IllegalArgumentException("ERROR: " + method + " on " + api + ": " + reply.get(1));
        return reply.get(2);
    }

    private static String info(MasterClient master, String node) throws Exception {
        List<?> state = list(master.call("getSystemState"));
        Map<String, String> published = new java.util.HashMap<>();
        for (Object p : list(master.call("getPublishedTopics", "/"))) published.put((String) list(p).get(0), (String) list(p).get(1));
        StringBuilder sb = new StringBuilder("-".repeat(80)).append("\nNode [").append(node).append("]");
        String[] titles = {"Publications", "Subscriptions", "Services"};
        for (int k = 0; k < 3; k++) {
            TreeSet<String> names = new TreeSet<>();
            for (Object e : list(state.get(k))) if (list(list(e).get(1)).contains(node)) names.add((String) list(e).get(0));
            if (names.isEmpty()) {
                sb.append('\n').append(titles[k]).append(": None\n");
                continue;
            }
            sb.append('\n').append(titles[k]).append(": \n");
            for (String n : names) sb.append(" * ").append(n).append(k < 2 ? " [" + published.getOrDefault(n, "unknown type") + "]" : "").append('\n');
        }
        URI api = api(master, node);
        sb.append("\n\ncontacting node ").append(api).append(" ...\n");
        sb.append("Pid: ").append(call(api, "getPid", "/rosnode")).append('\n');
        List<?> bus = list(call(api, "getBusInfo", "/rosnode"));
        if (!bus.isEmpty()) sb.append("Connections:\n");
        for (Object c : bus) {
            List<?> info = list(c);
            if (info.size() > 5 && Boolean.FALSE.equals(info.get(5))) continue;
            String topic = (String) info.get(4);
            sb.append(" * topic: ").append(topic).append('\n');
            sb.append("    * to: ").append(peer(master, state, topic, (String) info.get(1))).append('\n');
            String dir = (String) info.get(2);
            sb.append("    * direction: ").append(dir.equals("i") ? "inbound" : dir.equals("o") ? "outbound" : "unknown");
            if (info.size() > 6) {
                Matcher m = CONNECTION.matcher(String.valueOf(info.get(6)));
                if (m.lookingAt()) sb.append(" (").append(m.group(1)).append(" - ").append(m.group(2)).append(") [").append(m.group(3)).append(']');
            }
            sb.append("\n    * transport: ").append(info.get(3)).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** rosnode names a connection's far end "node (uri)" when the uri is a node on that topic. */
    private static String peer(MasterClient master, List<?> state, String topic, String dest) throws Exception {
        for (int k = 0; k < 2; k++) {
            for (Object e : list(state.get(k))) {
                if (!list(e).get(0).equals(topic)) continue;
                for (Object n : list(list(e).get(1))) {
                    try {
                        if (dest.equals(master.call("lookupNode", n))) return n + " (" + dest + ")";
                    } catch (MasterClient.MasterException ignored) {
                        // gone meanwhile
                    }
                }
            }
        }
        return dest;
    }
}
