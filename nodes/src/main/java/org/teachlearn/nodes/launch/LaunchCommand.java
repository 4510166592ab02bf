package org.teachlearn.nodes.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.ros.launch.LaunchConfig;
import org.teachlearn.ros.launch.LaunchLoader;
import org.teachlearn.ros.launch.LaunchNode;
import org.teachlearn.ros.launch.LaunchValues;
import org.teachlearn.ros.launch.RosPackages;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.RosoutAggregator;
import org.teachlearn.ros.node.MasterClient;

/**
 * {@code ./teach_learn launch [options] FILE|PKG FILE [name:=value ...]}: runs a roslaunch file. A
 * master (with /rosout) starts when none answers at ROS_MASTER_URI; parameters are set as
 * roslaunch sets them; teach_learn's nodes run in this JVM, everything else as processes; respawn
 * and required are honoured; Ctrl-C (or SIGTERM) stops every node, then the master.
 */
public final class LaunchCommand {

    private final LaunchConfig config;
    private final RosPackages packages;
    private final boolean screen;
    private final int port;
    private final List<Launched> running = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String stopReason = "";
    private Master master;
    private RosoutAggregator rosout;
    private URI masterUri;
    private Path logDir;

    private LaunchCommand(LaunchConfig config, RosPackages packages, boolean screen, int port) {
        this.config = config;
        this.packages = packages;
        this.screen = screen;
        this.port = port;
    }

    public static void run(List<String> argv) throws Exception {
        boolean screen = false, dump = false, nodes = false;
        int port = -1;
        List<String> files = new ArrayList<>();
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--screen")) screen = true;
            else if (a.equals("--dump-params")) dump = true;
            else if (a.equals("--nodes")) nodes = true;
            else if (a.equals("-p") || a.equals("--port")) port = Integer.parseInt(value(argv, ++i, a));
            else if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            else if (a.contains(":=")) args.put(a.substring(0, a.indexOf(":=")), a.substring(a.indexOf(":=") + 2));
            else files.add(a);
        }
        RosPackages packages = RosPackages.fromEnvironment().withFallback("teach_learn", home());
        Path file = launchFile(files, packages);
        LaunchConfig config = LaunchLoader.load(file, args, packages, System.getenv());
        for (String w : config.warnings) System.err.println("WARNING: " + w);
        if (dump) {
            System.out.print(LaunchValues.toYaml(new TreeMap<>(config.params)));
            return;
        }
        if (nodes) {
            for (LaunchNode n : config.nodes) System.out.println(n.fullName());
            return;
        }
        new LaunchCommand(config, packages, screen, port).launch(file);
    }

    private static String value(List<String> argv, int i, String option) {
        if (i >= argv.size()) throw new IllegalArgumentException(option + " needs a value");
        return argv.get(i);
    }

    static String usage() {
        return "usage: ./teach_learn launch [--screen] [-p PORT] [--dump-params] [--nodes] FILE.launch|PKG FILE.launch [name:=value ...]";
    }

    private static Path home() {
        return Path.of(System.getProperty("teachlearn.home", ".")).toAbsolutePath().normalize();
    }

    /** FILE, or PKG FILE as roslaunch takes them (the file found anywhere in the package). */
    private static Path launchFile(List<String> files, RosPackages packages) throws IOException {
        if (files.size() == 1) return Path.of(files.get(0));
        if (files.size() != 2) throw new IllegalArgumentException(usage());
        String pkg = files.get(0), name = files.get(1);
        if (packages.find(pkg).isEmpty()) throw new IllegalArgumentException("package '" + pkg + "' not found on ROS_PACKAGE_PATH");
        return packages.file(pkg, name).orElseThrow(() -> new IllegalArgumentException("no " + name + " in package " + pkg));
    }

    private void launch(Path file) throws Exception {
        startMasterIfNeeded();
        MasterClient client = new MasterClient(masterUri, "/roslaunch");
        String runId = runId(client);
        logDir = Path.of(System.getenv().getOrDefault("ROS_LOG_DIR", System.getenv().getOrDefault("ROS_HOME",
                System.getProperty("user.home") + "/.ros") + "/log"), runId);
        System.out.println("logging to " + logDir);
        setUp(client);
        System.out.println(summary());
        System.out.println("ROS_MASTER_URI=" + masterUri + "\n");
        // Ctrl-C and SIGTERM stop the launch in order and exit 0, as roslaunch does; the hook covers other exits.
        for (String signal : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> {
                stopReason = "SIG" + signal;
                stop.countDown();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "launch-shutdown"));
        for (LaunchNode n : config.nodes) {
            Launched l;
            try {
                l = prepare(n);
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("ERROR: cannot launch node of type [" + n.pkg() + "/" + n.type() + "] (" + n.where() + "): " + e.getMessage());
                if (n.required()) {
                    stopReason = "required node " + n.fullName() + " cannot start";
                    stop.countDown();
                }
                continue;
            }
            running.add(l);
            try {
                System.out.println(l.start());
            } catch (Exception e) {
                System.err.println("ERROR: " + n.fullName() + " (" + n.where() + ") failed to start: " + e.getMessage());
            }
        }
        monitor();
        System.exit(0);
    }

    private void startMasterIfNeeded() throws IOException {
        String env = System.getenv().getOrDefault("ROS_MASTER_URI", "http://localhost:" + Master.DEFAULT_PORT);
        URI uri = URI.create(env.endsWith("/") ? env : env + "/");
        if (port > 0) uri = URI.create("http://" + uri.getHost() + ":" + port + "/");
        masterUri = uri;
        try {
            new MasterClient(uri, "/roslaunch").call("getPid");
            return;
        } catch (IOException e) {
            // nobody answers: start one, as roslaunch does
        }
        if (!isLocal(uri.getHost())) throw new IllegalArgumentException("no master answers at " + uri + ", and it is not on this machine");
        System.out.println("... no master at " + uri + ": auto-starting a new master");
        String advertised = System.getenv().getOrDefault("ROS_IP", System.getenv().getOrDefault("ROS_HOSTNAME", uri.getHost()));
        master = new Master("0.0.0.0", advertised, uri.getPort() < 0 ? Master.DEFAULT_PORT : uri.getPort(), line -> { });
        masterUri = master.uri();
        MasterClient c = new MasterClient(masterUri, "/roslaunch");
        c.call("setParam", "/run_id", UUID.randomUUID().toString());
        rosout = new RosoutAggregator(masterUri, RosoutAggregator.defaultLogDir());
    }

    private static String runId(MasterClient client) throws IOException {
        try {
            Object id = client.call("getParam", "/run_id");
            if (id instanceof String s) return s;
        } catch (MasterClient.MasterException e) {
            // a master without /run_id (not started by roscore or us): give this launch one
        }
        String id = UUID.randomUUID().toString();
        client.call("setParam", "/run_id", id);
        return id;
    }

    /** roslaunch's order: setup actions, clear namespaces, then parameters (one leaf at a time). */
    private void setUp(MasterClient client) throws IOException {
        for (LaunchConfig.SetupAction a : config.setup) {
            if (a.command().equals("delete")) {
                try {
                    client.call("deleteParam", a.namespace());
                } catch (MasterClient.MasterException e) {
                    System.err.println("WARNING: rosparam delete " + a.namespace() + ": " + e.getMessage());
                }
            } else {
                Object v = client.call("getParam", a.namespace());
                Files.writeString(Path.of(a.file()), LaunchValues.toYaml(v));
            }
        }
        for (String ns : config.clearParams) {
            String name = ns.length() > 1 && ns.endsWith("/") ? ns.substring(0, ns.length() - 1) : ns;
            if (Boolean.TRUE.equals(client.call("hasParam", name))) client.call("deleteParam", name);
        }
        for (var p : config.params.entrySet()) client.call("setParam", p.getKey(), p.getValue());
    }

    /** What will run, as roslaunch's summary prints it. */
    private String summary() {
        StringBuilder sb = new StringBuilder("\nSUMMARY\n========\n");
        if (!config.clearParams.isEmpty()) {
            sb.append("\nCLEAR PARAMETERS\n");
            config.clearParams.stream().sorted().forEach(p -> sb.append(" * ").append(p).append('\n'));
        }
        sb.append("\nPARAMETERS\n");
        new TreeMap<>(config.params).forEach((k, v) -> sb.append(" * ").append(k).append(": ").append(shorten(v)).append('\n'));
        if (!config.machines.isEmpty()) {
            sb.append("\nMACHINES\n");
            config.machines.keySet().stream().sorted().forEach(m -> sb.append(" * ").append(m).append('\n'));
        }
        sb.append("\nNODES\n");
        Map<String, List<LaunchNode>> byNs = new TreeMap<>();
        for (LaunchNode n : config.nodes) byNs.computeIfAbsent(n.namespace(), k -> new ArrayList<>()).add(n);
        byNs.forEach((ns, list) -> {
            sb.append("  ").append(ns).append('\n');
            for (LaunchNode n : list) sb.append("    ").append(n.name()).append(" (").append(n.pkg()).append('/').append(n.type()).append(")\n");
        });
        return sb.toString();
    }

    private static String shorten(Object v) {
        String s = v instanceof byte[] b ? "<" + b.length + " bytes>" : String.valueOf(v);
        if (s.length() > 20) s = s.substring(0, 17) + "...";
        return s.chars().anyMatch(c -> c < 32 || c > 126) ? "<...>" : s;
    }

    /** This JVM's class path with every entry absolute: a node started as a process may run in another directory (cwd="node"). */
    private static String absoluteClassPath() {
        StringBuilder cp = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (e.isEmpty()) continue;
            if (cp.length() > 0) cp.append(java.io.File.pathSeparatorChar);
            cp.append(e.endsWith("*") ? Path.of(e.substring(0, e.length() - 1)).toAbsolutePath() + java.io.File.separator + "*"
                    : Path.of(e).toAbsolutePath().toString());
        }
        return cp.toString();
    }

    /** Our nodes in this JVM unless they need a process's own environment, directory or prefix. */
    private Launched prepare(LaunchNode n) throws IOException {
        checkMachine(n);
        NodeProgram program = n.pkg().equals("teach_learn") ? NodePrograms.NODES.get(n.type()) : null;
        boolean ownProcess = n.launchPrefix() != null || n.cwd().equals("node")
                || n.env().keySet().stream().anyMatch(k -> !k.startsWith("ROS_"));
        LaunchNode spec = screen ? withScreen(n) : n;
        if (program != null && !ownProcess) return new InJvmNode(spec, program, masterUri);
        List<String> command = new ArrayList<>();
        if (program != null) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-XX:+UseSerialGC", "-Xmx" + System.getenv().getOrDefault("TEACH_LEARN_HEAP", "128m"),
                    "-Dteachlearn.home=" + home(), "-cp", absoluteClassPath(), NodePrograms.class.getName(), n.type()));
        } else {
            if (packages.find(n.pkg()).isEmpty() && !Files.isDirectory(Path.of("/usr/lib", n.pkg()))) {
                throw new IllegalArgumentException("package '" + n.pkg() + "' not found on ROS_PACKAGE_PATH");
            }
            Path exe = packages.executable(n.pkg(), n.type()).orElseThrow(() -> new IllegalArgumentException(
                    "can't locate node [" + n.type() + "] in package [" + n.pkg() + "] (an executable file of that name)"));
            command.add(exe.toString());
        }
        return new ProcessNode(spec, command, masterUri, logDir);
    }

    private static LaunchNode withScreen(LaunchNode n) {
        return new LaunchNode(n.pkg(), n.type(), n.name(), n.namespace(), n.args(), "screen", n.respawn(), n.respawnDelay(), n.required(),
                n.cwd(), n.launchPrefix(), n.machine(), n.remaps(), n.env(), n.file(), n.line());
    }

    private void checkMachine(LaunchNode n) {
        String name = n.machine();
        if (name == null) {
            name = config.machines.values().stream().filter(LaunchConfig.Machine::isDefault).map(LaunchConfig.Machine::name).findFirst().orElse(null);
        }
        if (name == null) return;
        LaunchConfig.Machine m = config.machines.get(name);
        if (!isLocal(m.address())) {
            throw new IllegalArgumentException("machine '" + name + "' (" + m.address()
                    + ") is another host: ./teach_learn launch runs nodes on this machine only; use roslaunch for remote machines");
        }
    }

    private static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Watches the nodes: reports endings, respawns, stops everything when a required node ends. */
    private void monitor() throws InterruptedException {
        Map<Launched, Long> respawnAt = new LinkedHashMap<>();
        List<Launched> ended = new ArrayList<>();
        while (!stop.await(100, TimeUnit.MILLISECONDS)) {
            for (Launched l : running) {
                if (ended.contains(l) || l.alive()) continue;
                Long when = respawnAt.get(l);
                if (when == null) {
                    System.out.println("[" + l.processName() + "] " + l.ending());
                    if (l.spec.required()) {
                        System.out.println("================================================================================");
                        System.out.println("REQUIRED process [" + l.processName() + "] has died!");
                        System.out.println("Initiating shutdown!");
                        System.out.println("================================================================================");
                        stopReason = "required node " + l.spec.fullName() + " ended";
                        stop.countDown();
                        break;
                    }
                    if (l.spec.respawn()) {
                        respawnAt.put(l, System.nanoTime() + (long) (l.spec.respawnDelay() * 1e9));
                    } else {
                        ended.add(l);
                    }
                } else if (System.nanoTime() >= when) {
                    respawnAt.remove(l);
                    try {
                        System.out.println("[" + l.spec.fullName() + "] restarting process");
                        System.out.println(l.start());
                    } catch (Exception e) {
                        System.err.println("ERROR: respawn of " + l.spec.fullName() + " failed: " + e.getMessage());
                        respawnAt.put(l, System.nanoTime() + 1_000_000_000L);
                    }
                }
            }
            if (master == null && !running.isEmpty() && ended.size() == running.size()) {
                System.out.println("all processes on machine have died, launch will exit");
                stopReason = "all nodes ended";
                stop.countDown();
            }
        }
        System.out.println("shutting down (" + stopReason + ") ...");
        shutdown();
        System.out.println("done");
    }

    private synchronized void shutdown() {
        List<Launched> order = new ArrayList<>(running);
        running.clear();
        java.util.Collections.reverse(order);
        List<Thread> stoppers = new ArrayList<>();
        for (Launched l : order) {
            if (!l.alive()) continue;
            Thread t = new Thread(l::stop, "stop " + l.spec.fullName());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (rosout != null) rosout.close();
        rosout = null;
        if (master != null) master.close();
        master = null;
    }
}
