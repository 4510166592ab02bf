package org.teachlearn.ros.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.teachlearn.ros.node.NodeArgs;

class NamesTest {

    @Test
    void resolvesGlobalRelativeAndPrivateNames() {
        assertEquals("/a/b", Names.resolve("/a/b/", "/ns", "/ns/node"));
        assertEquals("/ns/chatter", Names.resolve("chatter", "/ns", "/ns/node"));
        assertEquals("/ns/node/rate", Names.resolve("~rate", "/ns", "/ns/node"));
        assertEquals("/chatter", Names.resolve("chatter", "/", "/node"));
        assertThrows(IllegalArgumentException.class, () -> Names.resolve("bad name", "/", "/n"));
        assertEquals("/ns/x", Names.resolveForCaller("x", "/ns/node"));
        assertEquals("/ns/node/x", Names.resolveForCaller("~x", "/ns/node"));
    }

    @Test
    void commandLineAndEnvironmentShapeTheNode() {
        NodeArgs a = NodeArgs.parse("talker", new String[] {"chatter:=/loud", "~in:=other", "_rate:=2.5",
                "_on:=yes", "_list:=[1, two, 3.0]", "__name:=speaker", "__ns:=robot", "__master:=http://m:1234",
                "__ip:=10.0.0.2", "plain"}, Map.of("ROS_NAMESPACE", "/ignored_by_ns", "ROS_IP", "1.2.3.4"));
        assertEquals("/robot/speaker", a.fullName());
        assertEquals("http://m:1234", a.masterUri().toString());
        assertEquals("10.0.0.2", a.host());
        assertEquals(Map.of("/robot/chatter", "/loud", "/robot/speaker/in", "/robot/other"), a.remaps());
        assertEquals(2.5, a.privateParams().get("rate"));
        assertEquals(true, a.privateParams().get("on"));
        assertEquals(java.util.List.of(1, "two", 3.0), a.privateParams().get("list"));
        assertEquals(java.util.List.of("plain"), a.rest());
        NodeArgs env = NodeArgs.parse("n", new String[0],
                Map.of("ROS_NAMESPACE", "/cell", "ROS_MASTER_URI", "http://h:11311/", "ROS_HOSTNAME", "box"));
        assertEquals("/cell/n", env.fullName());
        assertEquals("box", env.host());
        assertThrows(IllegalArgumentException.class, () -> NodeArgs.parse("n", new String[] {"__master:=nonsense"}, Map.of()));
    }
}
