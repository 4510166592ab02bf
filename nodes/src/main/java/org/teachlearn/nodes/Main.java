package org.teachlearn.nodes;

import java.util.Arrays;
import java.util.List;
import org.teachlearn.learn.train.TrainCommand;
import org.teachlearn.nodes.launch.NodePrograms;
import org.teachlearn.rosmsg.GenerateJava;

/** The {@code ./teach_learn} command line: one entry point for the demo, nodes and tools. */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help")) {
            usage();
            return;
        }
        if (CommandHelp.printIfAsked(argv)) return;
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            switch (argv[0]) {
                case "demo" -> Demo.run(java.nio.file.Path.of("runs", "demo"));
                case "master" -> MasterCommand.run(rest);
                case "run" -> NodePrograms.run(rest);
                case "msg" -> msg(rest);
                case "bag" -> org.teachlearn.nodes.tools.BagCommand.run(rest);
                case "launch" -> org.teachlearn.nodes.launch.LaunchCommand.run(rest);
                case "topic", "node", "service", "param" -> org.teachlearn.nodes.tools.GraphCommand.run(argv[0], rest);
                case "train" -> TrainCommand.train(rest, new org.teachlearn.nodes.demos.BagDemos());
                case "eval" -> TrainCommand.eval(rest);
                case "report" -> org.teachlearn.learn.report.ReportCommand.run(rest);
                default -> {
                    System.err.println("unknown command '" + argv[0] + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException | org.teachlearn.ros.launch.LaunchException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (OutOfMemoryError e) {
            // what a user can do about it, not a stack trace: the heap is ./teach_learn's -Xmx (128 MB by default)
            long mb = Runtime.getRuntime().maxMemory() >> 20;
            System.err.printf("error: %s ran out of its Java heap (%d MB): run it again with a larger one, e.g. TEACH_LEARN_HEAP=%dm ./teach_learn %s ...%s%n",
                    argv[0], mb, Math.max(1024, 2 * mb), argv[0], argv[0].equals("train")
                            ? "; from --bags, each --state-copies, --turns and --hindsight-goals adds the samples once more (docs/nodes.md §13)" : "");
            System.exit(3);
        }
    }

    /** {@code msg gen --out DIR PKG...}: Java classes for users' own message packages on ROS_PACKAGE_PATH. */
    private static void msg(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("gen")) {
            throw new IllegalArgumentException("usage: msg gen --out DIR PKG... (packages from ROS_PACKAGE_PATH)");
        }
        List<String> gen = new java.util.ArrayList<>(args.subList(1, args.size()));
        String path = System.getenv("ROS_PACKAGE_PATH");
        if (path != null) {
            gen.add(0, path);
            gen.add(0, "--ros-package-path");
        }
        GenerateJava.main(gen.toArray(new String[0]));
        System.out.println("compile them with the ros module on the classpath (target/lib/ros-*.jar)");
    }

    private static void usage() {
        System.out.println(String.join("\n",
                "usage: ./teach_learn COMMAND [args]        (COMMAND --help for its arguments)",
                "  demo                     demonstrations → BC → PPO → ONNX → served over ROS on an embedded master (runs/demo/)",
                "  test                     run every test (installs the Debian ROS peers when root)",
                "  env                      shell exports for rospy, roscpp and the ROS tools to use teach_learn's messages",
                "  master [-p PORT]         a ROS master and /rosout aggregator, like roscore",
                "  run NODE [ROS args]      run a node, like rosrun teach_learn NODE; nodes: " + NodePrograms.NODES.keySet(),
                "  msg gen --out DIR PKG... generate Java classes for message packages on ROS_PACKAGE_PATH",
                "  launch FILE [a:=v ...]   run a roslaunch file (our nodes in this JVM, others as processes; a master if none)",
                "  bag info|record|play|reindex  ROS bags (format 2.0) like rosbag; crash-safe recording and repair",
                "  topic list|info|echo|pub|hz|bw, node list|info|kill|ping, service list|info|type|uri|call,",
                "  param list|get|set|delete|load|dump   the graph tools, like rostopic, rosnode, rosservice, rosparam",
                "  train ALGO [options]     train on the built-in simulator (bc, dagger, ppo, ppo-kl, trpo, reinforce, gail, sac, td3, ddpg)",
                "  eval RUN_DIR [options]   success rate of a trained policy (or --expert) over seeded episodes",
                "  report RUN_DIR... [--out report.html]  one self-contained HTML page (tables, charts) about training runs",
                "  bench [wire|sim|learn|results|policy|soak|record|all]   benchmarks against their peers, run in the same run"));
    }
}
