package org.teachlearn.robot.arm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.ExpertTest;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * The second shipped arm, lab6_arm (6 joints, UR-like kinematics, other names), simulated with the
 * gains the simulator derives for it: it holds its rest pose, and the scripted experts do its tasks.
 */
class SecondArmTest {

    static Simulation sim(String task) throws Exception {
        Path urdf = ArmLayoutTest.LAB6;
        RobotModel m = UrdfParser.parse(urdf);
        ArmLayout layout = ArmLayoutTest.resolve(urdf, ArmLayoutTest.withSrdf(urdf));
        Task t = Task.named(task);
        return new Simulation(m, layout, t.physics(), Simulation.Settings.forArm(ControlMode.POSITION, layout.chain(m)), t);
    }

    static int successes(String task, int episodes) throws Exception {
        return ExpertTest.successes(sim(task), task, episodes, 2000);
    }

    @Test
    void holdsItsRestPose() throws Exception {
        Simulation s = sim("none");
        s.reset(1);
        double[] rest = s.layout().restPose(), q = new double[s.armDof()];
        for (int k = 0; k < 200; k++) s.step(rest, Double.NaN);
        s.armPositions(q);
        for (int i = 0; i < q.length; i++) assertTrue(Math.abs(q[i] - rest[i]) < 0.01, "joint " + i + " at " + q[i] + ", rest " + rest[i]);
    }

    @Test
    void aRevoluteGripperIsCommandedInMetresThroughItsCalibration() throws Exception {
        // lab6 with Robotiq-style knuckles: 0 rad open, 0.8 rad closed
        String xml = java.nio.file.Files.readString(ArmLayoutTest.LAB6);
        for (String side : new String[] {"left", "right"}) {
            xml = xml.replace("<joint name=\"gripper_" + side + "_finger_joint\" type=\"prismatic\">",
                    "<joint name=\"gripper_" + side + "_finger_joint\" type=\"revolute\">");
        }
        xml = xml.replace("lower=\"0.0\" upper=\"0.0425\" effort=\"40\" velocity=\"0.15\"", "lower=\"0.0\" upper=\"0.8\" effort=\"5\" velocity=\"2.0\"");
        RobotModel m = UrdfParser.parse(xml);
        ArmLayout layout = ArmLayout.resolve(m, ArmLayoutTest.withSrdf(ArmLayoutTest.LAB6).withGripperCalibration(0.8, 0.0, 0.0425), "knuckle");
        Task t = Task.named("none");
        Simulation s = new Simulation(m, layout, t.physics(), Simulation.Settings.forArm(ControlMode.POSITION, layout.chain(m)), t);
        s.reset(3);
        assertTrue(Math.abs(s.gripperOpening() - 0.0425) < 1e-9, "opens fully at reset: " + s.gripperOpening());
        for (int k = 0; k < 100; k++) s.step(layout.restPose(), 0.02125);
        int knuckle = s.world().jointIndex("gripper_left_finger_joint");
        assertTrue(Math.abs(s.world().position(knuckle) - 0.4) < 0.01, "knuckle at " + s.world().position(knuckle));
        assertTrue(Math.abs(s.gripperOpening() - 0.02125) < 0.001, "opening " + s.gripperOpening());
    }

    @Test
    void reachExpertSucceeds() throws Exception {
        int ok = successes("reach", 40);
        System.out.println("lab6_arm reach expert: " + ok + "/40");
        assertTrue(ok >= 38, "reach expert on lab6_arm succeeded in " + ok + " of 40 episodes");
    }

    @Test
    void pickPlaceExpertSucceeds() throws Exception {
        int ok = successes("pick_place", 20);
        System.out.println("lab6_arm pick_place expert: " + ok + "/20");
        assertTrue(ok >= 16, "pick-and-place expert on lab6_arm succeeded in " + ok + " of 20 episodes");
    }
}
