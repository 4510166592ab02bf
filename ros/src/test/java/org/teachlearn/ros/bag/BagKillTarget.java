package org.teachlearn.ros.bag;

import java.nio.file.Path;

/** A recorder to kill: writes std_msgs/String "i" at 500 messages/s into ARG0 with compression ARG1, printing i after each. */
public final class BagKillTarget {

    public static void main(String[] args) throws Exception {
        BagWriter w = new BagWriter(Path.of(args[0]), BagWriter.Compression.valueOf(args[1]));
        int conn = w.connection("/count", org.teachlearn.msgs.std_msgs.String.TYPE, "/counter", false);
        org.teachlearn.msgs.std_msgs.String m = new org.teachlearn.msgs.std_msgs.String();
        long t0 = 1_700_000_000_000_000_000L;
        for (int i = 0; ; i++) {
            m.data = Integer.toString(i);
            w.write(conn, t0 + i * 2_000_000L, m);
            System.out.println(i);
            Thread.sleep(2);
        }
    }
}
