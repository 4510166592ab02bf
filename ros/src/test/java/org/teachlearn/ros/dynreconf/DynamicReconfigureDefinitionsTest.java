package org.teachlearn.ros.dynreconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.dynamic_reconfigure.BoolParameter;
import org.teachlearn.msgs.dynamic_reconfigure.Config;
import org.teachlearn.msgs.dynamic_reconfigure.ConfigDescription;
import org.teachlearn.msgs.dynamic_reconfigure.DoubleParameter;
import org.teachlearn.msgs.dynamic_reconfigure.Group;
import org.teachlearn.msgs.dynamic_reconfigure.GroupState;
import org.teachlearn.msgs.dynamic_reconfigure.IntParameter;
import org.teachlearn.msgs.dynamic_reconfigure.ParamDescription;
import org.teachlearn.msgs.dynamic_reconfigure.Reconfigure;
import org.teachlearn.msgs.dynamic_reconfigure.SensorLevels;
import org.teachlearn.msgs.dynamic_reconfigure.StrParameter;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The shipped dynamic_reconfigure types against Debian's dynamic_reconfigure 1.7.3: every MD5 sum our
 * generator computed is what Debian's genmsg computes from Debian's own definitions, what Debian's compiled
 * Python classes carry, what {@code rossrv md5} says for the service, and ROS's.
 */
class DynamicReconfigureDefinitionsTest {

    private static final URI NO_MASTER = URI.create("http://127.0.0.1:1/");

    /** ROS's MD5 sums (dynamic_reconfigure 1.7). */
    private static final Map<String, String> UPSTREAM = Map.ofEntries(
            Map.entry(BoolParameter.TYPE.name(), "23f05028c1a699fb83e22401228c3a9e"),
            Map.entry(IntParameter.TYPE.name(), "65fedc7a0cbfb8db035e46194a350bf1"),
            Map.entry(StrParameter.TYPE.name(), "bc6ccc4a57f61779c8eaae61e9f422e0"),
            Map.entry(DoubleParameter.TYPE.name(), "d8512f27253c0f65f928a67c329cd658"),
            Map.entry(GroupState.TYPE.name(), "a2d87f51dc22930325041a2f8b1571f8"),
            Map.entry(Config.TYPE.name(), "958f16a05573709014982821e6822580"),
            Map.entry(ParamDescription.TYPE.name(), "7434fcb9348c13054e0c3b267c8cb34d"),
            Map.entry(Group.TYPE.name(), "9e8cd9e9423c94823db3614dd8b1cf7a"),
            Map.entry(ConfigDescription.TYPE.name(), "757ce9d44ba8ddd801bb30bc456f946f"),
            Map.entry(SensorLevels.TYPE.name(), "6322637bee96d5489db6e2127c47602c"),
            Map.entry(Reconfigure.TYPE.name(), "bb125d226a21982a4a98760418dc2672"));

    private static final Map<String, String> OURS = Map.ofEntries(
            Map.entry(BoolParameter.TYPE.name(), BoolParameter.TYPE.md5()),
            Map.entry(IntParameter.TYPE.name(), IntParameter.TYPE.md5()),
            Map.entry(StrParameter.TYPE.name(), StrParameter.TYPE.md5()),
            Map.entry(DoubleParameter.TYPE.name(), DoubleParameter.TYPE.md5()),
            Map.entry(GroupState.TYPE.name(), GroupState.TYPE.md5()),
            Map.entry(Config.TYPE.name(), Config.TYPE.md5()),
            Map.entry(ParamDescription.TYPE.name(), ParamDescription.TYPE.md5()),
            Map.entry(Group.TYPE.name(), Group.TYPE.md5()),
            Map.entry(ConfigDescription.TYPE.name(), ConfigDescription.TYPE.md5()),
            Map.entry(SensorLevels.TYPE.name(), SensorLevels.TYPE.md5()),
            Map.entry(Reconfigure.TYPE.name(), Reconfigure.TYPE.md5()));

    @Test
    void md5SumsAreDebiansGenmsgsPythonsAndRoss() throws Exception {
        Path debianDefs = Path.of("/usr/share/dynamic_reconfigure/msg/Config.msg");
        assertTrue(Files.isRegularFile(debianDefs), debianDefs + " is missing: run ./teach_learn test as root"
                + " (it installs Debian's libdynamic-reconfigure-config-init-mutex-dev and python3-dynamic-reconfigure)");
        List<String> cmd = new ArrayList<>(List.of(RosPeers.PYTHON, Path.of("src/test/peers/dynreconf_md5.py").toAbsolutePath().toString()));
        cmd.addAll(UPSTREAM.keySet());
        String printed = Peer.run(NO_MASTER, 60, cmd.toArray(new String[0]));
        Map<String, String[]> byType = new HashMap<>();
        for (String line : printed.split("\n")) {
            String[] p = line.strip().split(" ");
            if (p.length == 3) byType.put(p[0], p);
        }
        for (Map.Entry<String, String> e : UPSTREAM.entrySet()) {
            String name = e.getKey();
            String[] p = byType.get(name);
            assertTrue(p != null, "genmsg said nothing about " + name + ":\n" + printed);
            assertEquals(p[1], OURS.get(name), name + ": ours vs Debian's genmsg");
            assertEquals(p[2], OURS.get(name), name + ": ours vs Debian's Python class");
            assertEquals(e.getValue(), OURS.get(name), name + ": ours vs ROS's");
        }
        assertEquals(Peer.run(NO_MASTER, 30, RosPeers.tool("rossrv"), "md5", "dynamic_reconfigure/Reconfigure").strip(),
                Reconfigure.TYPE.md5(), "rossrv md5");
    }
}
