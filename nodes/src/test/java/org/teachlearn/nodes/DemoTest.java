package org.teachlearn.nodes;

import org.junit.jupiter.api.Test;

/** The main job runs to the end: five pick-and-place episodes over ROS (it throws if they do not finish). */
class DemoTest {

    @Test
    void demoRunsItsEpisodesOverRos() throws Exception {
        System.setProperty("teachlearn.home", "..");
        Demo.run();
    }
}
