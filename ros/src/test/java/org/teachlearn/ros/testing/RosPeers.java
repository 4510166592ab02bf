package org.teachlearn.ros.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/**
 * The Debian ROS 1 peers the interop tests run against. A missing peer fails the test with
 * what to install: these tests never skip.
 */
public final class RosPeers {

    public static final String PYTHON = "/usr/bin/python3";
    private static Path cppPeer;

    private RosPeers() {
    }

    public static String tool(String name) {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
            if (Files.isExecutable(Path.of(dir, name))) return dir + "/" + name;
        }
        throw new AssertionError(name + " is not installed: run ./teach_learn test as root (it installs Debian's ROS packages)");
    }

    /** The rospy peer script, run with Debian's Python. */
    public static String[] pyPeer(String... args) {
        Path script = Path.of("src/test/peers/peer.py").toAbsolutePath();
        String[] cmd = new String[args.length + 2];
        if (!Files.isExecutable(Path.of(PYTHON))) throw new AssertionError(PYTHON + " (with rospy) is needed");
        cmd[0] = PYTHON;
        cmd[1] = script.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return cmd;
    }

    /** The roscpp peer, compiled once per build. */
    public static synchronized String[] cppPeer(String... args) throws Exception {
        if (cppPeer == null) {
            Path src = Path.of("src/test/peers/peer.cpp").toAbsolutePath();
            Path bin = Path.of("target/peers/peer").toAbsolutePath();
            if (!Files.exists(bin) || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) < 0) {
                Files.createDirectories(bin.getParent());
                tool("g++");
                Process p = new ProcessBuilder("bash", "-c", "g++ -O2 -o '" + bin + "' '" + src
                        + "' $(pkg-config --cflags --libs roscpp std_msgs sensor_msgs)").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) throw new AssertionError("building the roscpp peer failed (is libroscpp-dev installed?):\n" + out);
            }
            cppPeer = bin;
        }
        String[] cmd = new String[args.length + 1];
        cmd[0] = cppPeer.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return cmd;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts Debian's roscore on a free port and waits until it answers. */
    public static Peer roscore(URI[] uriOut) throws Exception {
        int port = freePort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        Peer p = Peer.start(uri, tool("roscore"), "-p", Integer.toString(port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                new XmlRpcClient(uri, 1000, 1 << 20).call("getPid", "/test");
                break;
            } catch (Exception e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.close();
                    throw new AssertionError("roscore did not come up on port " + port + ":\n" + p.output());
                }
                Thread.sleep(100);
            }
        }
        uriOut[0] = uri;
        return p;
    }

    public static void waitUntil(java.util.function.BooleanSupplier condition, int seconds, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            Thread.sleep(10);
        }
    }
}
