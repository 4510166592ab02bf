package org.teachlearn.nodes.tools;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.teachlearn.ros.message.DynamicCodec;
import org.teachlearn.ros.message.EchoFormat;
import org.teachlearn.ros.message.MessageDefinitions;
import org.teachlearn.ros.message.RawMessage;
import org.teachlearn.ros.node.MasterClient;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.tcpros.Limits;
import org.teachlearn.ros.tcpros.ServiceConnection;
import org.teachlearn.rosmsg.Field;
import org.teachlearn.rosmsg.MsgSpec;

/**
 * {@code service info|type|uri|call}, as rosservice does them: the type comes from a probe of the
 * provider, the definition from this build's classes or the package path, and the call's
 * arguments are YAML like rosservice's.
 */
final class ServiceCalls {

    private ServiceCalls() {
    }

    static String run(String command, List<String> rest, MasterClient master, NodeArgs nodeArgs) throws Exception {
        if (rest.isEmpty()) throw new IllegalArgumentException(GraphCommand.usage("service"));
        String service = global(rest.get(0));
        String provider = (String) lookup(master, service, "lookupService");
        return switch (command) {
            case "uri" -> provider + "\n";
            case "type" -> type(provider, service) + "\n";
            case "info" -> info(master, service, provider);
            case "call" -> call(service, provider, rest.subList(1, rest.size()), nodeArgs);
            default -> throw new IllegalArgumentException(GraphCommand.usage("service"));
        };
    }

    private static String global(String name) {
        return name.startsWith("/") ? name : "/" + name;
    }

    private static Object lookup(MasterClient master, String service, String method) throws Exception {
        try {
            return master.call(method, service);
        } catch (MasterClient.MasterException e) {
            throw new IllegalArgumentException("ERROR: Unknown service: " + service);
        }
    }

    private static String type(String provider, String service) throws Exception {
        Map<String, String> header = ServiceConnection.probe(URI.create(provider), service, "/rosservice_" + ProcessHandle.current().pid());
        if (header.containsKey("error")) throw new IllegalArgumentException("ERROR: " + header.get("error"));
        String type = header.get("type");
        if (type == null) throw new IllegalArgumentException("ERROR: " + service + " did not say its type");
        return type;
    }

    private static String info(MasterClient master, String service, String provider) throws Exception {
        String node = null;
        for (Object e : XmlRpcArrays.list(XmlRpcArrays.list(master.call("getSystemState")).get(2))) {
            List<?> entry = XmlRpcArrays.list(e);
            if (entry.get(0).equals(service)) node = (String) XmlRpcArrays.list(entry.get(1)).get(0);
        }
        String type = type(provider, service);
        String args;
        try {
            MessageDefinitions defs = MessageDefinitions.fromEnvironment();
            args = String.join(" ", argNames(defs.service(type).request().spec(), "", defs));
        } catch (IllegalArgumentException e) {
            args = "(unknown: no definition of " + type + " here)";
        }
        return "Node: " + node + "\nURI: " + provider + "\nType: " + type + "\nArgs: " + args + "\n";
    }

    private static List<String> argNames(MsgSpec spec, String prefix, MessageDefinitions defs) {
        List<String> out = new ArrayList<>();
        for (Field f : spec.fields()) {
            if (f.type().isMessage() && !f.type().isArray()) out.addAll(argNames(defs.catalog().message(f.type().base()), prefix + f.name() + ".", defs));
            else out.add(prefix + f.name());
        }
        return out;
    }

    private static String call(String service, String provider, List<String> args, NodeArgs nodeArgs) throws Exception {
        String typeName = type(provider, service);
        MessageDefinitions defs = MessageDefinitions.fromEnvironment();
        MessageDefinitions.ResolvedService type = defs.service(typeName);
        DynamicCodec codec = new DynamicCodec(defs.catalog());
        byte[] request = codec.encode(type.request().spec(), TopicStreams.values(type.request().spec(), args));
        RawMessage q = new RawMessage(type.request().rawType()).set(request, 0, request.length);
        RawMessage r = new RawMessage(type.response().rawType());
        try (ServiceConnection<RawMessage, RawMessage> c = new ServiceConnection<>(URI.create(provider), service, type.rawType(),
                "/" + nodeArgs.name(), false, Limits.DEFAULT)) {
            c.call(q, r);
        }
        return EchoFormat.format(codec.decode(type.response().spec(), r.data(), r.length())) + "\n";
    }
}
