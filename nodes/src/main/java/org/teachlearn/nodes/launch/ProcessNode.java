package org.teachlearn.nodes.launch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.teachlearn.ros.launch.LaunchNode;
import org.teachlearn.ros.launch.ShellWords;

/**
 * A node run as a process, as roslaunch runs it: {@code [launch-prefix] EXECUTABLE args from:=to
 * __name:=NAME __log:=FILE}, ROS_NAMESPACE and the launch's env set, in ~/.ros or the executable's
 * folder; stdout to the screen or to a log file (stderr always on the screen). Stopped with
 * SIGINT, then SIGTERM after 15 s, then SIGKILL after 2 s more.
 */
final class ProcessNode extends Launched {

    private final List<String> command;
    private final Path logDir;
    private volatile Process process;

    ProcessNode(LaunchNode spec, List<String> command, URI master, Path logDir) {
        super(spec, master);
        this.command = command;
        this.logDir = logDir;
    }

    @Override
    String begin() throws IOException {
        List<String> argv = new ArrayList<>();
        if (spec.launchPrefix() != null) argv.addAll(ShellWords.split(spec.launchPrefix()));
        argv.addAll(command);
        argv.addAll(nodeArgs());
        Files.createDirectories(logDir);
        argv.add("__log:=" + logDir.resolve(processName() + ".log"));
        ProcessBuilder pb = new ProcessBuilder(argv);
        environment(pb.environment());
        Path home = Path.of(System.getenv().getOrDefault("ROS_HOME", System.getProperty("user.home") + "/.ros"));
        Path cwd = spec.cwd().equals("node") ? Path.of(command.get(0)).toAbsolutePath().getParent() : home;
        Files.createDirectories(cwd);
        pb.directory(cwd.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        if (spec.output().equals("screen")) pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        else pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(processName() + "-stdout.log").toFile()));
        process = pb.start();
        return "process[" + processName() + "]: started with pid [" + process.pid() + "]";
    }

    @Override
    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    String ending() {
        Process p = process;
        int code = p.exitValue();
        if (code == 0) return "process has finished cleanly";
        return "process has died [pid " + p.pid() + ", exit code " + code + ", cmd " + String.join(" ", command) + "]";
    }

    @Override
    void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            if (p.waitFor(15, TimeUnit.SECONDS)) return;
            p.destroy();
            if (p.waitFor(2, TimeUnit.SECONDS)) return;
            p.destroyForcibly().waitFor();
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
