package org.teachlearn.nodes.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * train.launch's workers on another computer through roslaunch's {@code <machine>}, as a lab
 * spreads workers over computers: Debian's roslaunch logs in over ssh (paramiko) to an OpenSSH
 * server on 127.0.0.2, which this test starts with its own throwaway keys, and starts the workers
 * there through an env-loader that gives them ROS_IP 127.0.0.2. The trainer here learns from
 * their experience and they serve its models.
 *
 * <p>roslaunch takes every 127.x address for this computer unless the machine's user differs
 * from the launching user (roslaunch.core.is_machine_local, which reads the name from LOGNAME):
 * the launch runs as LOGNAME "lab-desk" and logs in as the real user, so the ssh path is taken
 * as it is for a remote computer.
 */
class TrainMachineTest {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    @TempDir
    Path dir;

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }

    /** An OpenSSH server on 127.0.0.2:{@code port} that lets in the key {@code home}/.ssh/id_ed25519 only; known_hosts in {@code home} knows it. */
    private Peer sshd(URI master, int port, Path home) throws Exception {
        if (!Files.isExecutable(SSHD)) {
            throw new AssertionError(SSHD + " is missing: install Debian's openssh-server (./teach_learn test installs it as root)");
        }
        if (!Files.exists(Path.of("/usr/lib/python3/dist-packages/paramiko"))) {
            throw new AssertionError("roslaunch needs python3-paramiko for <machine> (./teach_learn test installs it as root)");
        }
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path hostKey = dir.resolve("host_key"), userKey = ssh.resolve("id_ed25519");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", userKey.toString());
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(Path.of(userKey + ".pub"), authorized);
        String hostPub = String.join(" ", List.of(Files.readString(Path.of(hostKey + ".pub")).trim().split(" ")).subList(0, 2));
        // roslaunch looks the host up by address alone, paramiko by [address]:port when the port is not 22
        Files.writeString(ssh.resolve("known_hosts"), "127.0.0.2 " + hostPub + "\n[127.0.0.2]:" + port + " " + hostPub + "\n");
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n", "Port " + port, "ListenAddress 127.0.0.2", "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorized, "PermitRootLogin prohibit-password", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PidFile " + dir.resolve("sshd.pid"),
                "AllowUsers " + System.getProperty("user.name"), ""));
        // sshd refuses to start without its privilege separation directory (Debian makes it at boot through systemd)
        if (!Files.isDirectory(Path.of("/run/sshd"))) Files.createDirectories(Path.of("/run/sshd"));
        Peer sshd = Peer.start(master, SSHD.toString(), "-D", "-e", "-f", config.toString());
        RosPeers.waitUntil(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", port), 200);
                return true;
            } catch (Exception e) {
                if (!sshd.isAlive()) throw new AssertionError("sshd did not start:\n" + sshd.output());
                return false;
            }
        }, 20, "sshd on 127.0.0.2:" + port);
        return sshd;
    }

    /** The script the remote side runs roslaunch's child through: the computer's ROS environment, then its arguments. */
    private Path envLoader() throws Exception {
        Path loader = dir.resolve("env_loader.sh");
        String java = Path.of(System.getProperty("java.home"), "bin").toString();
        Files.writeString(loader, String.join("\n", "#!/bin/sh", "# the workers' computer: its address, the checkout, its own ROS_HOME",
                "export ROS_IP=127.0.0.2", "export ROS_PACKAGE_PATH='" + TrainLaunch.ROOT + "'",
                "export TEACH_LEARN_CLASSPATH='" + System.getProperty("java.class.path") + "'",
                "export ROS_HOME='" + dir.resolve("remote-ros") + "'", "export PATH='" + java + "':/usr/bin:/bin", "exec \"$@\"", ""));
        Files.setPosixFilePermissions(loader, PosixFilePermissions.fromString("rwxr-xr-x"));
        return loader;
    }

    @Test
    void workersOnAMachineStartOverSshAndLearnWithTheTrainerHere() throws Exception {
        URI[] master = new URI[1];
        int port = RosPeers.freePort();
        Path home = dir.resolve("home");
        Map<String, String> env = TrainLaunch.env(dir.resolve("ros"));
        env.put("HOME", home.toString());
        env.put("LOGNAME", "lab-desk");
        env.put("USER", "lab-desk");
        try (Peer roscore = RosPeers.roscore(master); Peer sshd = sshd(master[0], port, home);
                Peer launch = TrainLaunch.start(master[0], "127.0.0.1", env, "workers:=1", "steps:=1000000", "rollout_rows:=512", "max_policy_lag:=1",
                        "out:=" + dir.resolve("run"), "machine_address:=127.0.0.2", "machine_user:=" + System.getProperty("user.name"),
                        "machine_ssh_port:=" + port, "machine_env_loader:=" + envLoader())) {
            TrainLaunch.awaitLineAfter(launch, 0, "remote\\[127\\.0\\.0\\.2-0\\]: ssh connection created", 60);
            TrainLaunch.awaitLineAfter(launch, 0, "trainer: worker /worker_0/policy_server joined", 75);
            RosPeers.waitUntil(() -> TrainLaunch.newestVersion(launch) >= 4, 60, "three updates from the remote worker:\n" + TrainLaunch.tail(launch));
            long[] served = {0};
            RosPeers.waitUntil(() -> {
                try {
                    served[0] = TrainLaunch.workerVersion(master[0], "worker_0");
                } catch (Exception e) {
                    served[0] = 0;
                }
                return served[0] >= 3;
            }, 30, "the remote worker serving a trained model");
            for (String w : List.of("/worker_0/policy_server", "/worker_0/sim_arm")) {
                TrainLaunch.NodeInfo info = TrainLaunch.nodeInfo(master[0], w);
                assertTrue(info.uri().startsWith("http://127.0.0.2:"), w + " runs at " + info.uri());
                // started by sshd's session (roslaunch's remote child), not by the roslaunch here
                assertTrue(startedBy(info.pid(), "sshd"), w + " (pid " + info.pid() + ") is not a process of the ssh session");
            }
            System.out.println("a worker over ssh on 127.0.0.2: trainer at version " + TrainLaunch.newestVersion(launch) + ", worker serves "
                    + served[0] + ", "
                    + TrainLaunch.rate(TrainLaunch.learnedPerSecond(TrainLaunch.updates(launch), 0, 1e12, 512)) + " transitions learned/s");
        }
    }

    private static boolean startedBy(long pid, String ancestor) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        while (p.isPresent()) {
            if (p.get().info().command().orElse("").endsWith("/" + ancestor)) return true;
            p = p.get().parent();
        }
        return false;
    }
}
