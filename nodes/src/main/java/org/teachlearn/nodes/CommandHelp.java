package org.teachlearn.nodes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.nodes.launch.NodePrograms;

/**
 * {@code ./teach_learn COMMAND [SUBCOMMAND] --help}: what each command and subcommand takes, printed
 * with exit code 0 before anything runs (a demo, a node or a benchmark never starts on --help).
 * Nodes' topics and parameters are in docs/nodes.md.
 */
final class CommandHelp {

    private static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        HELP.put("demo", "usage: ./teach_learn demo\n  50 scripted demonstrations of reach → behaviour cloning → PPO fine-tuning → ONNX → sim_arm +\n"
                + "  policy_server over TCPROS on an embedded master; logs, curves, report.txt and report.html in runs/demo/");
        HELP.put("master", "usage: ./teach_learn master [-p PORT]\n  a ROS master, parameter server and /rosout aggregator, like roscore (default port 11311)");
        HELP.put("run", "usage: ./teach_learn run NODE [from:=to] [_param:=value] [__name:=N] [__ns:=NS] [__master:=URI] ...\n"
                + "  runs a node like rosrun teach_learn NODE; nodes: " + NodePrograms.NODES.keySet() + "\n"
                + "  each node's topics, services and parameters: docs/nodes.md");
        HELP.put("msg", "usage: ./teach_learn msg gen --out DIR PKG...\n  Java classes for message packages found on ROS_PACKAGE_PATH");
        HELP.put("msg gen", HELP.get("msg"));
        HELP.put("launch", "usage: ./teach_learn launch [--screen] [-p PORT] [--dump-params] [--nodes] FILE|PKG FILE [name:=value ...]\n"
                + "  runs a roslaunch file like roslaunch: an embedded master when none answers, our nodes in this JVM,\n"
                + "  other executables as processes; Ctrl-C stops everything");
        HELP.put("bag", "usage: ./teach_learn bag info|record|play|reindex ...   (bag SUBCOMMAND --help for each)");
        HELP.put("bag info", "usage: ./teach_learn bag info BAG\n  topics, types, counts, duration and compression of a bag (format 2.0); exit 1 if it is damaged");
        HELP.put("bag record", "usage: ./teach_learn bag record [-a | TOPIC...] [-O NAME | -o PREFIX] [--lz4|--bz2] [--duration S]\n"
                + "  records like rosbag record; the bag is indexed on Ctrl-C, SIGTERM or the end of --duration");
        HELP.put("bag play", "usage: ./teach_learn bag play BAG [-r RATE] [-l] [-s START] [-u DURATION] [--clock] [--topics T...]\n"
                + "  plays like rosbag play");
        HELP.put("bag reindex", "usage: ./teach_learn bag reindex BAG\n  repairs a bag left unindexed or damaged: keeps every intact chunk, reports what was lost,\n"
                + "  keeps the original as NAME.orig.bag; exit 1 when nothing could be kept");
        HELP.put("topic", "usage: ./teach_learn topic list | info TOPIC | echo [-n N] TOPIC[/FIELD] | pub [-r RATE | -1] [-l] TOPIC TYPE [YAML...]\n"
                + "       | hz TOPIC | bw TOPIC   (rostopic's arguments and output)");
        HELP.put("node", "usage: ./teach_learn node list | info NODE... | kill NODE... | ping NODE   (rosnode's arguments and output)");
        HELP.put("service", "usage: ./teach_learn service list | info NAME | type NAME | uri NAME | call NAME [YAML...]   (rosservice's)");
        HELP.put("param", "usage: ./teach_learn param list | get NAME | set NAME VALUE | delete NAME | load FILE [NS] | dump FILE [NS]   (rosparam's)");
        HELP.put("report", "usage: ./teach_learn report RUN_DIR... [--out report.html]\n"
                + "  one self-contained HTML page (runs table, comparison charts, each run's curves) about training runs");
        HELP.put("eval", "usage: ./teach_learn eval RUN_DIR|CHECKPOINT [--episodes N] [--seed S] [--pushes] [--expert] [--served]\n"
                + "  success rate and mean return of a trained policy (or the scripted expert) over seeded episodes;\n"
                + "  --served: commands clamped and step-limited as policy_server sends them (its ~max_velocity_scale 1)");
    }

    private CommandHelp() {
    }

    /** True (having printed the help) when {@code argv} asks for it: -h or --help right after the command or its subcommand. */
    static boolean printIfAsked(String[] argv) {
        int at = -1;
        for (int i = 1; i < Math.min(argv.length, 3); i++) if (argv[i].equals("-h") || argv[i].equals("--help")) at = i;
        if (at < 0) return false;
        String key = at == 2 ? argv[0] + " " + argv[1] : argv[0];
        String text = HELP.getOrDefault(key, HELP.get(argv[0]));
        if (text == null) return false;   // train has its own
        System.out.println(text);
        return true;
    }

    static List<String> commands() {
        return List.copyOf(HELP.keySet());
    }
}
