package org.teachlearn.nodes.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * launch/train.launch under Debian's roslaunch and roscore: the trainer learns from every worker's
 * experience and each worker swaps every new model in; workers launched apart with other ROS_IP
 * addresses (as on other computers) join the same trainer over TCP to those addresses; one
 * worker frozen for seconds is reported silent, the others keep the models coming, and it is used
 * again when it returns. Small PPO updates (512 transitions) keep each run short on two cores; one
 * run (a trainer launch and two worker launches) shows both, so that CI starts roslaunch once.
 */
class TrainerLaunchTest {

    @TempDir
    Path dir;

    /** Waits until {@code worker}'s policy server runs a model of version {@code atLeast} or newer; returns that version. */
    private static long awaitWorkerVersion(URI master, String worker, long atLeast, int seconds, Peer launch) throws Exception {
        long[] v = {0};
        RosPeers.waitUntil(() -> {
            try {
                v[0] = TrainLaunch.workerVersion(master, worker);
            } catch (Exception | AssertionError e) {
                v[0] = 0;
            }
            return v[0] >= atLeast;
        }, seconds, worker + " serving model version " + atLeast + " or newer (it runs " + v[0] + "); launch:\n" + TrainLaunch.tail(launch));
        return v[0];
    }

    @Test
    void workersOnOtherAddressesJoinOverTcpAndOneFrozenIsReportedWhileTheOtherKeepsTheModelsComing() throws Exception {
        URI[] master = new URI[1];
        Map<String, String> env = TrainLaunch.env(dir.resolve("ros"));
        try (Peer roscore = RosPeers.roscore(master);
                Peer trainer = TrainLaunch.start(master[0], "127.0.0.1", env, "workers:=0", "steps:=1000000", "rollout_rows:=512",
                        "worker_timeout:=2", "out:=" + dir.resolve("run"), "max_policy_lag:=1");   // as on real arms: fewer batches dropped on two cores
                Peer second = TrainLaunch.start(master[0], "127.0.0.2", env, "trainer:=false", "workers:=1", "first_worker:=0");
                Peer third = TrainLaunch.start(master[0], "127.0.0.3", env, "trainer:=false", "workers:=1", "first_worker:=1")) {
            for (String w : List.of("worker_0", "worker_1")) {
                TrainLaunch.awaitLineAfter(trainer, 0, "trainer: worker /" + w + "/policy_server joined", 90);
            }
            RosPeers.waitUntil(() -> TrainLaunch.newestVersion(trainer) >= 4, 60, "three updates from the two workers:\n" + TrainLaunch.tail(trainer));
            long v0 = awaitWorkerVersion(master[0], "worker_0", 3, 30, trainer), v1 = awaitWorkerVersion(master[0], "worker_1", 3, 30, trainer);

            TrainLaunch.NodeInfo t = TrainLaunch.nodeInfo(master[0], "/trainer");
            String ss = Peer.run(master[0], 30, "ss", "-tnpH");
            for (String[] w : new String[][] {{"/worker_0/policy_server", "127.0.0.2"}, {"/worker_1/policy_server", "127.0.0.3"}}) {
                TrainLaunch.NodeInfo info = TrainLaunch.nodeInfo(master[0], w[0]);
                assertTrue(info.uri().startsWith("http://" + w[1] + ":"), w[0] + " runs at " + info.uri());
                // the trainer subscribes /experience: it connects to each worker's TCPROS server, at the worker's address
                assertTrue(connects(ss, t.pid(), w[1]), "no TCP connection of the trainer (pid " + t.pid() + ") to " + w[1] + ":\n" + ss);
            }
            System.out.println("workers at 127.0.0.2 and 127.0.0.3: trainer at version " + TrainLaunch.newestVersion(trainer)
                    + ", workers serve " + v0 + " and " + v1 + "; " + TrainLaunch.rate(TrainLaunch.learnedPerSecond(TrainLaunch.updates(trainer), 0, 1e12, 512))
                    + " transitions learned/s");
            aFrozenWorkerIsReportedAndTheOtherKeepsTheModelsComing(master[0], trainer);
        }
    }

    /** Whether {@code ss -tnp} shows a connection of process {@code pid} to a port on {@code address}. */
    private static boolean connects(String ss, long pid, String address) {
        Pattern peer = Pattern.compile("\\s(?:\\[::ffff:)?" + Pattern.quote(address) + "\\]?:\\d+\\s");
        for (String line : ss.split("\n")) {
            if (!line.contains("pid=" + pid + ",")) continue;
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && peer.matcher(" " + f[4] + " ").find()) return true;
        }
        return false;
    }

    /**
     * worker_1 (at 127.0.0.3) frozen with SIGSTOP for seconds: reported silent, the trainer goes on
     * with worker_0, and uses worker_1 again when it returns. Both serve version 3 or newer already.
     */
    private static void aFrozenWorkerIsReportedAndTheOtherKeepsTheModelsComing(URI m, Peer launch) throws Exception {
        long pid = TrainLaunch.nodeInfo(m, "/worker_1/policy_server").pid();
        Thread.sleep(1500);   // a few updates with both, for the rate before

        // worker_1's policy server stops dead (as a hung process or a host that froze): no experience, no acknowledgements
        long workerAtStop = TrainLaunch.workerVersion(m, "worker_1");
        int mark = launch.lines().size();
        long versionAtStop = TrainLaunch.newestVersion(launch);
        double stopped = wallNow();
        signal("STOP", pid);
        double resumed;
        try {
            TrainLaunch.awaitLineAfter(launch, mark, "trainer: worker /worker_1/policy_server silent for more than 2\\.0 s", 15);
            Thread.sleep(3000);   // long enough for two updates from worker_0 alone (about 1 s each)
        } finally {
            signal("CONT", pid);
            resumed = wallNow();
        }
        long versionAtResume = TrainLaunch.newestVersion(launch);
        assertTrue(versionAtResume >= versionAtStop + 2, "the trainer stalled with one worker frozen: version " + versionAtStop + " at the stop, "
                + versionAtResume + " at the resume:\n" + TrainLaunch.tail(launch));

        String back = TrainLaunch.awaitLineAfter(launch, mark, "trainer: worker /worker_1/policy_server is back after", 30);
        long workerAfter = awaitWorkerVersion(m, "worker_1", versionAtResume, 30, launch);
        // both workers count again: an update after the return names 2 workers
        TrainLaunch.awaitLineAfter(launch, launch.lines().indexOf(back), "trainer: version \\d+ after update .* 2 worker\\(s\\)", 30);
        long versionAtBack = TrainLaunch.newestVersion(launch);
        RosPeers.waitUntil(() -> TrainLaunch.newestVersion(launch) >= versionAtBack + 1, 60, "one more update after the return");
        List<TrainLaunch.Update> u = TrainLaunch.updates(launch);
        double backAt = TrainLaunch.updates(launch).stream().filter(x -> x.version() == versionAtBack).findFirst().orElseThrow().time();
        double bothFrom = u.stream().filter(x -> x.version() == 3).findFirst().orElseThrow().time();
        double before = TrainLaunch.learnedPerSecond(u, bothFrom, stopped, 512), during = TrainLaunch.learnedPerSecond(u, stopped, resumed, 512),
                after = TrainLaunch.learnedPerSecond(u, backAt, 1e12, 512);
        assertTrue(during > 0, "nothing learned while one worker was frozen");
        System.out.println("one of two workers frozen for " + TrainLaunch.rate(resumed - stopped) + " s: transitions learned/s before "
                + TrainLaunch.rate(before) + ", during " + TrainLaunch.rate(during) + ", after " + TrainLaunch.rate(after) + " (env steps/s received "
                + TrainLaunch.rate(TrainLaunch.stepsPerSecond(u, bothFrom, stopped)) + ", " + TrainLaunch.rate(TrainLaunch.stepsPerSecond(u, stopped, resumed))
                + ", " + TrainLaunch.rate(TrainLaunch.stepsPerSecond(u, backAt, 1e12)) + "); versions "
                + versionAtStop + " -> " + versionAtResume + " while frozen; worker_1 served " + workerAtStop + ", then " + workerAfter + "; " + back);
    }

    private static double wallNow() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        if (p.waitFor() != 0) throw new AssertionError("kill -" + name + " " + pid + " failed");
    }
}
