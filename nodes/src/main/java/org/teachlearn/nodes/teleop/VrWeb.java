package org.teachlearn.nodes.teleop;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.teachlearn.msgs.geometry_msgs.PoseStamped;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.web.ControllerFrame;
import org.teachlearn.web.ControllerSink;
import org.teachlearn.web.PairingToken;
import org.teachlearn.web.VrWebServer;
import org.teachlearn.web.WebSettings;

/**
 * vr_web: the headset's browser as the VR controller. Serves the WebXR page (and a desktop page for
 * people without a headset) and publishes what the one paired, driving browser streams: the chosen
 * hand's grip pose and its buttons and axes, stamped when the page read the pose.
 *
 * <pre>
 * params  ~http_port (8443; 0 picks a free one), ~bind (0.0.0.0), ~https (auto: HTTPS unless ~bind is loopback),
 *         ~cert_dir ($ROS_HOME/teach_learn/vr_web), ~token ("" = a random one each start), ~hand (right),
 *         ~frame_id (vr_tracking), ~max_position (5 m), ~release_after (0.5 s)
 * pub     vr/controller_pose (geometry_msgs/PoseStamped, WebXR local-floor: y up, metres; only while tracked),
 *         vr/joy (sensor_msgs/Joy: buttons [grip=clutch, A, B, trigger, thumbstick], axes [trigger, grip, stick x, stick y];
 *         all released when the browser goes away or falls silent holding a button)
 * </pre>
 */
public final class VrWeb implements ControllerSink {

    private final Node node;
    private final Publisher<PoseStamped> poseOut;
    private final Publisher<Joy> joyOut;
    private final PoseStamped pose = new PoseStamped();
    private final Joy joy = new Joy();
    private final VrWebServer server;
    private final PairingToken token;

    public VrWeb(Node node) throws Exception {
        this.node = node;
        var p = node.params();
        String bind = p.getString("~bind", "0.0.0.0");
        String tokenParam = p.get("~token").map(String::valueOf).orElse("");
        token = tokenParam.isEmpty() ? PairingToken.random() : PairingToken.of(tokenParam);
        WebSettings settings = new WebSettings(bind, p.getInt("~http_port", 8443),
                WebSettings.https(p.get("~https").map(String::valueOf).orElse("auto"), bind),
                Path.of(p.getString("~cert_dir", rosHome().resolve("teach_learn/vr_web").toString())), token,
                p.getString("~hand", "right"), p.getDouble("~max_position", 5.0), p.getDouble("~release_after", 0.5));
        pose.header.frame_id = p.getString("~frame_id", "vr_tracking");
        joy.header.frame_id = pose.header.frame_id;
        joy.buttons = new int[ControllerFrame.BUTTONS];
        joy.axes = new float[ControllerFrame.AXES];
        poseOut = node.advertise("vr/controller_pose", PoseStamped.TYPE);
        joyOut = node.advertise("vr/joy", Joy.TYPE);
        server = new VrWebServer(settings, this);
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("vr_web", argv, VrWeb::run);
    }

    public static void run(Node node) throws Exception {
        try (VrWebServer server = new VrWeb(node).start()) {
            node.spin();
        }
    }

    /** Starts serving and prints where (with the pairing token); the caller closes the server. */
    public VrWebServer start() throws Exception {
        server.start();
        for (String url : urls()) node.log().info("vr_web: open " + url + " (pairing token " + token.reveal() + ")");
        node.log().info("vr_web: without a headset, the desktop page is " + urls().get(0).replace("/#", "/desktop#"));
        return server;
    }

    public VrWebServer server() {
        return server;
    }

    /** Whether both topics have a subscriber. */
    boolean listened() {
        return poseOut.subscriberCount() > 0 && joyOut.subscriberCount() > 0;
    }

    @Override
    public synchronized void frame(ControllerFrame f, long sampleNanoTime) {
        // the pose's age on this machine's clock, carried over to ROS time (wall or /clock)
        long age = Math.max(0, System.nanoTime() - sampleNanoTime);
        long stamp = node.nowNanos() - age;
        joy.header.stamp.setNanos(stamp);
        System.arraycopy(f.buttons, 0, joy.buttons, 0, ControllerFrame.BUTTONS);
        System.arraycopy(f.axes, 0, joy.axes, 0, ControllerFrame.AXES);
        if (f.tracked) {
            pose.header.stamp.setNanos(stamp);
            pose.header.seq = (int) f.seq;
            pose.pose.position.x = f.position[0];
            pose.pose.position.y = f.position[1];
            pose.pose.position.z = f.position[2];
            pose.pose.orientation.x = f.orientation[0];
            pose.pose.orientation.y = f.orientation[1];
            pose.pose.orientation.z = f.orientation[2];
            pose.pose.orientation.w = f.orientation[3];
            poseOut.publish(pose);
        }
        joyOut.publish(joy);
    }

    @Override
    public synchronized void released(String why) {
        node.log().warn("vr_web: " + why + ": buttons released on vr/joy");
        node.now(joy.header.stamp);
        java.util.Arrays.fill(joy.buttons, 0);
        java.util.Arrays.fill(joy.axes, 0f);
        joyOut.publish(joy);
    }

    @Override
    public void info(String message) {
        node.log().info("vr_web: " + message);
    }

    @Override
    public void warn(String message) {
        node.log().warn("vr_web: " + message);
    }

    /** The page's address for each way a headset can reach it, token included. */
    private List<String> urls() throws Exception {
        String scheme = server.https() ? "https" : "http";
        List<String> hosts = new ArrayList<>();
        String bind = node.params().getString("~bind", "0.0.0.0");
        InetAddress bound = InetAddress.getByName(bind);
        if (bound.isAnyLocalAddress()) {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces()))
                if (nic.isUp() && !nic.isLoopback())
                    for (InetAddress a : Collections.list(nic.getInetAddresses()))
                        if (a instanceof Inet4Address) hosts.add(a.getHostAddress());
            hosts.add("localhost");
        } else {
            hosts.add(bound.isLoopbackAddress() ? "localhost" : bind);
        }
        List<String> urls = new ArrayList<>();
        for (String h : hosts) urls.add(scheme + "://" + h + ":" + server.port() + "/#token=" + token.reveal());
        return urls;
    }

    private static Path rosHome() {
        String home = System.getenv("ROS_HOME");
        return home != null && !home.isEmpty() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".ros");
    }
}
