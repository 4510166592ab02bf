package org.teachlearn.nodes.hardening;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.tcpros.Limits;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Hot swap survives a model over the cap: a /policy/model larger than the node's message cap is
 * refused on the wire (once such a model's OutOfMemoryError ended hot swap for the life of the
 * process), and the good model sent after it is swapped in while the arm keeps being driven.
 */
class ModelCapTest {

    @TempDir
    static Path dir;

    @Test
    void aModelOverTheCapIsRefusedAndTheNextGoodOneIsSwappedIn() throws Exception {
        MalformedMessagesTest.robot = UrdfParser.parse(Path.of(MalformedMessagesTest.URDF));
        Path first = MalformedMessagesTest.constantModel(dir, 0.1), second = MalformedMessagesTest.constantModel(dir, -0.1);
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            NodeArgs args = NodeArgs.parse("policy_server", new String[] {"__master:=" + master.uri(), "_model:=" + first,
                "_urdf:=" + MalformedMessagesTest.URDF, "_lockstep:=false", "_rate:=100", "_realtime_priority:=0"});
            Node server = Node.start(args, Limits.DEFAULT.withMessageCap("/policy/model", 4 << 20));
            new PolicyServer(server);
            Node peer = TestNodes.node("trainer", master.uri());
            Publisher<ModelUpdate> models = peer.advertise("/policy/model", ModelUpdate.TYPE);
            try (StillArm arm = new StillArm(peer)) {
                List<double[]> commands = arm.commands;
                RosPeers.waitUntil(() -> models.subscriberCount() > 0 && commands.size() > 20, 20, "the server to run its first model");
                ModelUpdate huge = new ModelUpdate();
                huge.onnx = new byte[6 << 20];   // 6 MB against a 4 MB cap
                huge.sha256 = org.teachlearn.learn.onnx.PolicyExport.sha256(huge.onnx);
                huge.version = 2;
                models.publish(huge);
                Thread.sleep(500);
                RosPeers.waitUntil(() -> models.subscriberCount() > 0, 20, "the server to reconnect after refusing the frame");
                int before = commands.size();
                RosPeers.waitUntil(() -> commands.size() > before + 20, 10, "commands to go on after the oversized model");
                models.publish(MalformedMessagesTest.modelUpdate(second));
                RosPeers.waitUntil(() -> arm.lastCommand()[0] < -0.09, 20, "the good model after the oversized one to be swapped in");
                System.out.println("policy_server: a 6 MB /policy/model over its 4 MB cap refused, the next good model swapped in");
                assertTrue(!server.isShutdown());
            } finally {
                peer.shutdown("test over");
                server.shutdown("test over");
            }
        }
    }
}
