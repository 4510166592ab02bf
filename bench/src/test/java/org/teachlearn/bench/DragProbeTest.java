package org.teachlearn.bench;

import org.junit.jupiter.api.Test;
import org.teachlearn.robot.teach.DragController;
import org.teachlearn.robot.teach.DragSettings;

class DragProbeTest {
    @Test
    void probe() throws Exception {
        var m = DragController.Mode.ADMITTANCE;
        for (String v : new String[] {"false", "true"}) {
            System.setProperty("drag.measured", v);
            DragSettings s = DragSettings.DEFAULTS;
            System.out.println(v + " guide " + java.util.Arrays.toString(DragFeel.guide(m, 0.1, 2.5, 1.0, s)) + java.util.Arrays.toString(DragFeel.guide(m, 0.3, 1.2, 0.4, s))
              + " table " + java.util.Arrays.toString(DragFeel.tablePush(m, 10, 2, s)) + java.util.Arrays.toString(DragFeel.tablePush(m, 5, 2, s)) + java.util.Arrays.toString(DragFeel.tablePush(m, 20, 2, s)));
        }
    }
}
