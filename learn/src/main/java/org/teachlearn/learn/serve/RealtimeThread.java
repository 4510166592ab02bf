package org.teachlearn.learn.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Puts the calling thread under the SCHED_FIFO real-time policy, as ros_control's control loops
 * run: on a busy machine an ordinary thread is preempted for whole scheduler slices (1–3 ms),
 * which is a missed tick at 1 kHz. Linux only, and only where this process may (root or
 * CAP_SYS_NICE, or an rtprio limit); otherwise it says why and the thread stays as it was.
 */
public final class RealtimeThread {

    private RealtimeThread() {
    }

    /** Returns null on success, else why not. {@code priority} 1–99. */
    public static String elevate(int priority) {
        String name = "rt-" + Thread.currentThread().getId() + "-" + System.nanoTime() % 100000;
        String old = Thread.currentThread().getName();
        Thread.currentThread().setName(name);   // find our kernel task id by its name (Linux shows the first 15 chars)
        try {
            Path tasks = Path.of("/proc/self/task");
            if (!Files.isDirectory(tasks)) return "no /proc/self/task (not Linux)";
            String tid = null;
            try (Stream<Path> s = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) s::iterator) {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (name.startsWith(comm) && comm.length() >= Math.min(15, name.length())) {
                        tid = t.getFileName().toString();
                        break;
                    }
                }
            }
            if (tid == null) return "cannot find this thread's task id";
            Process p = new ProcessBuilder("chrt", "-f", "-p", Integer.toString(priority), tid).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? null : "chrt -f -p " + priority + " failed: " + out;
        } catch (IOException e) {
            return "cannot run chrt: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            Thread.currentThread().setName(old);
        }
    }
}
