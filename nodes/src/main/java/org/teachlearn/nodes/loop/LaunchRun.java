package org.teachlearn.nodes.loop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One launch file of the demo, run as a user runs it ({@code ./teach_learn launch FILE args}) in its
 * own process against the demo's master, its output in a log file. The demo waits for it to end
 * on its own or for a condition, and stops it as Ctrl+C does.
 */
final class LaunchRun implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String what;

    private LaunchRun(Process process, Path log, String what) {
        this.process = process;
        this.log = log;
        this.what = what;
    }

    /** Starts {@code ./teach_learn launch launch/FILE args...} on {@code master}, logging to {@code log}. */
    static LaunchRun start(URI master, String file, Path log, String... args) throws IOException {
        Path home = Path.of(System.getProperty("teachlearn.home", ".")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(home.resolve("teach_learn").toString(), "launch", home.resolve("launch").resolve(file).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ROS_MASTER_URI", master.toString());
        pb.environment().putIfAbsent("ROS_IP", master.getHost());
        // the demo's own classes, already built: the launch does not check the build again
        pb.environment().put("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path"));
        return new LaunchRun(pb.start(), log, file + " " + String.join(" ", args));
    }

    /** Waits until the launch ends on its own; fails after {@code seconds} naming the log. */
    void awaitExit(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException(what + " did not finish within " + seconds + " s; see " + log);
        }
    }

    /** Waits until {@code done} holds, checking that the launch still runs; fails after {@code seconds}. */
    void awaitCondition(BooleanSupplier done, int seconds, String waitingFor) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (!process.isAlive()) throw new IllegalStateException(what + " ended before " + waitingFor + "; see " + log);
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(waitingFor + " did not happen within " + seconds + " s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** The launch's output so far. */
    String output() throws IOException {
        return Files.readString(log);
    }

    /** Stops the launch as Ctrl+C does (SIGINT to the launcher, which stops its nodes in order) and waits for it. */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) return;
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
