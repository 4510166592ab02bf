package org.teachlearn.ros.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.ros.testing.RosPeers.cppPeer;
import static org.teachlearn.ros.testing.RosPeers.pyPeer;
import static org.teachlearn.ros.testing.RosPeers.tool;
import static org.teachlearn.ros.testing.RosPeers.waitUntil;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.msgs.std_srvs.SetBool;
import org.teachlearn.msgs.std_srvs.SetBoolRequest;
import org.teachlearn.msgs.std_srvs.SetBoolResponse;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.ServiceClient;
import org.teachlearn.ros.tcpros.ServiceException;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/** Our client library against Debian's roscore, with services in both directions. */
class DebianRoscoreInteropTest {

    static Peer roscore;
    static URI uri;

    @BeforeAll
    static void startRoscore() throws Exception {
        URI[] u = new URI[1];
        roscore = RosPeers.roscore(u);
        uri = u[0];
    }

    @AfterAll
    static void stopRoscore() {
        roscore.close();
    }

    static Node node(java.lang.String name, java.lang.String... args) throws Exception {
        return Node.start(NodeArgs.parse(name, args).withMaster(uri));
    }

    @Test
    void ourNodesTalkThroughRoscore() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        try (Node a = node("ja"); Node b = node("jb");
                Peer cpp = Peer.start(uri, cppPeer("sub", "/through", "3"))) {
            b.subscribe("/through", String.TYPE, m -> got.add(m.data));
            Publisher<String> pub = a.advertise("/through", String.TYPE);
            cpp.awaitLine("ready", 30);
            // two subscribers by caller id, not two connections: a second connection from one peer must not pass for the other
            waitUntil(() -> pub.droppedBySubscriber().size() == 2, 20, "both subscribers");
            String m = new String();
            for (int i = 0; i < 3; i++) {
                m.data = "via roscore " + i;
                pub.publish(m);
            }
            waitUntil(() -> got.size() == 3, 10, "three messages in Java");
            assertTrue(cpp.waitFor(20));
            assertEquals(List.of("ready", "via roscore 0", "via roscore 1", "via roscore 2"), cpp.lines());
            java.lang.String info = Peer.run(uri, 20, tool("rosnode"), "info", "/ja");
            assertTrue(info.contains("/through [std_msgs/String]"), info);
            assertEquals("[]", "" + a.params().get("/nothing_here").map(x -> "set").orElse("[]"));
            a.params().set("~gain", 2.5);
            assertEquals("2.5", Peer.run(uri, 20, tool("rosparam"), "get", "/ja/gain").strip());
        }
    }

    @Test
    void ourServiceAnswersRosserviceAndRospy() throws Exception {
        try (Node n = node("jservice")) {
            n.advertiseService("/trigger_me", Trigger.TYPE, (q, r) -> {
                r.success = true;
                r.message = "triggered";
            });
            java.lang.String out = Peer.run(uri, 20, tool("rosservice"), "call", "/trigger_me");
            assertEquals("success: True\nmessage: \"triggered\"", out.strip());
            assertEquals("True triggered", Peer.run(uri, 30, pyPeer("call", "/trigger_me")).strip());
            java.lang.String type = Peer.run(uri, 20, tool("rosservice"), "type", "/trigger_me");
            assertEquals("std_srvs/Trigger", type.strip());
            java.lang.String list = Peer.run(uri, 20, tool("rosservice"), "list");
            assertTrue(list.contains("/trigger_me"), list);
        }
    }

    @Test
    void ourClientCallsRospyServicePlainAndPersistent() throws Exception {
        try (Node n = node("jclient"); Peer py = Peer.start(uri, pyPeer("serve", "/set_me"))) {
            py.awaitLine("ready", 30);
            for (boolean persistent : new boolean[] {false, true}) {
                try (ServiceClient<SetBoolRequest, SetBoolResponse> c = n.serviceClient("/set_me", SetBool.TYPE, persistent)) {
                    assertTrue(c.waitForService(20_000));
                    SetBoolRequest q = c.newRequest();
                    for (boolean v : new boolean[] {true, false, true}) {
                        q.data = v;
                        SetBoolResponse r = c.call(q);
                        assertTrue(r.success);
                        assertEquals("got " + (v ? "True" : "False"), r.message);
                    }
                }
            }
        }
    }

    @Test
    void failingHandlerReportsErrorToClient() throws Exception {
        try (Node n = node("jfail")) {
            n.advertiseService("/fails", Trigger.TYPE, (q, r) -> {
                throw new IllegalStateException("arm not ready");
            });
            var c = n.serviceClient("/fails", Trigger.TYPE, false);
            ServiceException e = assertThrows(ServiceException.class, () -> c.call(c.newRequest()));
            assertTrue(e.getMessage().contains("arm not ready"), e.getMessage());
            java.lang.String out;
            try (Peer p = Peer.start(uri, tool("rosservice"), "call", "/fails")) {
                p.waitFor(20);
                out = p.output();
            }
            assertTrue(out.contains("arm not ready"), out);
        }
    }
}
