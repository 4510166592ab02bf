package org.teachlearn.nodes;

import java.util.concurrent.CountDownLatch;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.RosoutAggregator;

/** {@code ./teach_learn master [-p PORT]}: a master and a /rosout aggregator, like roscore. */
final class MasterCommand {

    private MasterCommand() {
    }

    static void run(java.util.List<String> args) throws Exception {
        int port = Master.DEFAULT_PORT;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-p") || args.get(i).equals("--port")) {
                if (i + 1 >= args.size()) throw new IllegalArgumentException("-p needs a port number");
                port = Integer.parseInt(args.get(++i));
            } else {
                throw new IllegalArgumentException("unknown option " + args.get(i) + " (usage: master [-p PORT])");
            }
        }
        String host = System.getenv().getOrDefault("ROS_IP", System.getenv().getOrDefault("ROS_HOSTNAME", "localhost"));
        CountDownLatch stop = new CountDownLatch(1);
        try (Master master = new Master("0.0.0.0", host, port, line -> { })) {
            master.onShutdownRequest(stop::countDown);
            System.out.println("started master at " + master.uri() + " (the ROS 1 master and parameter server API)");
            try (RosoutAggregator rosout = new RosoutAggregator(master.uri(), RosoutAggregator.defaultLogDir())) {
                System.out.println("started /rosout aggregator publishing /rosout_agg");
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
        }
    }
}
