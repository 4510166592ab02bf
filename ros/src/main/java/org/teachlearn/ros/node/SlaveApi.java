package org.teachlearn.ros.node;

import java.util.ArrayList;
import java.util.List;
import org.teachlearn.ros.tcpros.TopicPublisher;
import org.teachlearn.ros.tcpros.TopicSubscriber;
import org.teachlearn.ros.xmlrpc.XmlRpcFault;
import org.teachlearn.ros.xmlrpc.XmlRpcHandler;

/** The slave XML-RPC API through which the master, other nodes and the ROS tools reach a node. */
final class SlaveApi implements XmlRpcHandler {

    private final Node node;

    SlaveApi(Node node) {
        this.node = node;
    }

    @Override
    public Object call(String method, List<Object> p) throws XmlRpcFault {
        if (p.isEmpty() || !(p.get(0) instanceof String callerId)) {
            throw new XmlRpcFault(-1, method + ": first parameter must be the caller id");
        }
        return switch (method) {
            case "getBusStats" -> ok(node.transport().busStats());
            case "getBusInfo" -> ok(node.transport().busInfo());
            case "getMasterUri" -> ok(node.master().uri().toString());
            case "getPid" -> ok((int) ProcessHandle.current().pid());
            case "shutdown" -> {
                String reason = p.size() > 1 ? String.valueOf(p.get(1)) : "";
                node.log().warn("shutdown requested by " + callerId + (reason.isEmpty() ? "" : ": " + reason));
                Thread t = new Thread(() -> node.shutdown("shutdown request from " + callerId), "shutdown");
                t.setDaemon(true);
                t.start();
                yield ok(0);
            }
            case "getSubscriptions" -> {
                List<Object> out = new ArrayList<>();
                for (TopicSubscriber<?> s : node.transport().subscribers()) out.add(List.of(s.topic(), s.type().name()));
                yield ok(out);
            }
            case "getPublications" -> {
                List<Object> out = new ArrayList<>();
                for (TopicPublisher pub : node.transport().publishers()) out.add(List.of(pub.topic(), pub.type().name()));
                yield ok(out);
            }
            case "paramUpdate" -> {
                if (p.size() < 3) throw new XmlRpcFault(-1, "paramUpdate(caller_id, key, value)");
                node.params().onUpdate(String.valueOf(p.get(1)), p.get(2));
                yield ok(0);
            }
            case "publisherUpdate" -> {
                if (p.size() < 3 || !(p.get(2) instanceof List<?> uris)) {
                    throw new XmlRpcFault(-1, "publisherUpdate(caller_id, topic, publishers)");
                }
                TopicSubscriber<?> s = node.transport().existingSubscriber(String.valueOf(p.get(1)));
                if (s != null) s.updatePublishers(uris.stream().map(String::valueOf).toList());
                yield ok(0);
            }
            case "requestTopic" -> requestTopic(String.valueOf(p.size() > 1 ? p.get(1) : ""), p.size() > 2 ? p.get(2) : List.of());
            default -> throw new XmlRpcFault(-1, "unknown method " + method);
        };
    }

    private Object requestTopic(String topic, Object protocols) {
        boolean published = node.transport().publishers().stream().anyMatch(t -> t.topic().equals(topic));
        if (!published) return List.of(-1, "not a publisher of [" + topic + "]", List.of());
        if (protocols instanceof List<?> list) {
            for (Object proto : list) {
                if (proto instanceof List<?> pl && !pl.isEmpty() && "TCPROS".equals(pl.get(0))) {
                    return List.of(1, "ready on " + node.host() + ":" + node.transport().port(),
                            List.of("TCPROS", node.host(), node.transport().port()));
                }
            }
        }
        return List.of(0, "no supported protocol implementations", List.of());
    }

    private static List<Object> ok(Object value) {
        return List.of(1, "", value);
    }
}
