package org.teachlearn.nodes.launch;

import static java.util.Map.entry;

import java.util.Arrays;
import java.util.Map;
import org.teachlearn.nodes.program.NodeProgram;

/**
 * The suite's node executables by type, as {@code rosrun teach_learn TYPE}, {@code ./teach_learn
 * run TYPE} and {@code <node pkg="teach_learn" type="TYPE">} know them; and the entry point that
 * runs one as its own process (the launcher starts it for nodes that need their own environment).
 */
public final class NodePrograms {

    public static final Map<String, NodeProgram> NODES = Map.ofEntries(
            entry("talker", org.teachlearn.nodes.demo.Talker::run),
            entry("listener", org.teachlearn.nodes.demo.Listener::run),
            entry("sim_arm", node -> new org.teachlearn.nodes.sim.SimArm(node).run()),
            entry("expert", org.teachlearn.nodes.sim.ExpertNode::run),
            entry("policy_server", org.teachlearn.nodes.policy.PolicyServer::run),
            entry("drag_teach", org.teachlearn.nodes.teach.DragTeach::run),
            entry("recorder", org.teachlearn.nodes.record.Recorder::run),
            entry("virtual_teacher", org.teachlearn.nodes.teach.VirtualTeacher::run),
            entry("vr_web", org.teachlearn.nodes.teleop.VrWeb::run),
            entry("vr_teleop", org.teachlearn.nodes.teleop.VrTeleop::run),
            entry("vr_operator", org.teachlearn.nodes.teleop.VrOperator::run),
            entry("trainer", org.teachlearn.nodes.train.Trainer::run));

    private NodePrograms() {
    }

    /** {@code TYPE [ROS args]}: runs that node in this process until it is done. */
    public static void main(String[] argv) throws Exception {
        try {
            run(Arrays.asList(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** {@code TYPE [ROS args]}: runs that node in this process until it is done. */
    public static void run(java.util.List<String> args) throws Exception {
        if (args.isEmpty()) throw new IllegalArgumentException("run NODE [ROS args]; nodes: " + NODES.keySet());
        NodeProgram program = NODES.get(args.get(0));
        if (program == null) throw new IllegalArgumentException("no node '" + args.get(0) + "'; nodes: " + NODES.keySet());
        NodeProgram.main(args.get(0), args.subList(1, args.size()).toArray(new String[0]), program);
    }
}
