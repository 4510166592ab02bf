package org.teachlearn.ros.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real ROS process (roscore, a rospy or roscpp peer, a ROS tool) whose output a test reads. */
public final class Peer implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final String name;

    private Peer(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "peer-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    public static Peer start(URI master, String... command) throws IOException {
        return start(master, Map.of(), command);
    }

    /** Starts a command with more environment variables than the ROS ones every peer gets. */
    public static Peer start(URI master, Map<String, String> extraEnv, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putAll(extraEnv);
        env.put("ROS_MASTER_URI", master.toString());
        env.put("ROS_IP", "127.0.0.1");
        env.remove("ROS_NAMESPACE");
        env.put("PYTHONUNBUFFERED", "1");
        return new Peer(String.join(" ", command), pb.start());
    }

    /** Runs a command to the end and returns its output; fails the test on a non-zero exit. */
    public static String run(URI master, int timeoutSeconds, String... command) throws Exception {
        try (Peer p = start(master, command)) {
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("'" + p.name + "' did not finish in " + timeoutSeconds + " s; output:\n" + p.output());
            }
            Thread.sleep(50);
            if (p.process.exitValue() != 0) {
                throw new AssertionError("'" + p.name + "' exited " + p.process.exitValue() + "; output:\n" + p.output());
            }
            return p.output();
        }
    }

    public String awaitLine(Predicate<String> match, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) if (match.test(lines.get(seen))) return lines.get(seen);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("'" + name + "' printed no matching line in " + timeoutSeconds
                            + " s; output:\n" + output());
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public String awaitLine(String exact, int timeoutSeconds) throws InterruptedException {
        return awaitLine(exact::equals, timeoutSeconds);
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    public String output() {
        return String.join("\n", lines());
    }

    public boolean waitFor(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Sends a signal by name (INT is Ctrl-C), as a user's terminal or a supervisor would. */
    public void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }

    /** The processes it started, still running. */
    public List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
