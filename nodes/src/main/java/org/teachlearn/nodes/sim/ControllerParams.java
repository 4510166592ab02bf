package org.teachlearn.nodes.sim;

import java.util.List;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.sim.JointGroupController;
import org.teachlearn.ros.node.Parameters;

/**
 * A ros_control controller's configuration as the parameter server holds it after
 * {@code rosparam load urdf/controllers.yaml}: {@code NAME/type}, {@code NAME/joints} (a
 * GripperActionController's one {@code NAME/joint}) and {@code NAME/JOINT/pid/{p,i,d,i_clamp}}
 * ({@code NAME/gains/JOINT/{p,i,d,i_clamp}} for a JointTrajectoryController, as ros_control lays
 * them out). Missing entries take the given defaults and are written
 * back, so {@code rosparam get} shows what runs.
 */
final class ControllerParams {

    final String name;
    final String type;
    final String[] joints;
    final JointGroupController.Gains[] gains;

    private ControllerParams(String name, String type, String[] joints, JointGroupController.Gains[] gains) {
        this.name = name;
        this.type = type;
        this.joints = joints;
        this.gains = gains;
    }

    static ControllerParams read(Parameters params, String name, String defaultType, String[] defaultJoints,
            JointGroupController.Gains[] defaultGains) {
        String type = params.getString(name + "/type", defaultType);
        ControlMode.ofControllerType(type);
        // gripper_action_controller drives one joint, named by NAME/joint; the JointGroup controllers a list, NAME/joints
        boolean single = ControlMode.isGripperAction(type);
        String[] joints = single ? new String[] {params.getString(name + "/joint", defaultJoints[0])}
                : params.getStringList(name + "/joints", List.of(defaultJoints)).toArray(new String[0]);
        if (!params.has(name + "/type")) params.set(name + "/type", type);
        if (single && !params.has(name + "/joint")) params.set(name + "/joint", joints[0]);
        if (!single && !params.has(name + "/joints")) params.set(name + "/joints", List.of(joints));
        JointGroupController.Gains[] gains = new JointGroupController.Gains[joints.length];
        boolean trajectory = ControlMode.isTrajectoryController(type);
        for (int k = 0; k < joints.length; k++) {
            // a JointTrajectoryController keeps its gains under NAME/gains/JOINT, a JointGroup controller under NAME/JOINT/pid
            String pid = trajectory ? name + "/gains/" + joints[k] + "/" : name + "/" + joints[k] + "/pid/";
            int at = List.of(defaultJoints).indexOf(joints[k]);   // the controller may list the joints in any order
            JointGroupController.Gains d = at >= 0 && at < defaultGains.length ? defaultGains[at] : new JointGroupController.Gains(100, 0, 1, 0);
            gains[k] = new JointGroupController.Gains(params.getDouble(pid + "p", d.p()), params.getDouble(pid + "i", d.i()),
                    params.getDouble(pid + "d", d.d()), params.getDouble(pid + "i_clamp", d.iClamp()));
            if (!params.has(pid + "p")) {
                params.set(pid + "p", gains[k].p());
                params.set(pid + "i", gains[k].i());
                params.set(pid + "d", gains[k].d());
                params.set(pid + "i_clamp", gains[k].iClamp());
            }
        }
        return new ControllerParams(name, type, joints, gains);
    }

    ControlMode mode() {
        return ControlMode.ofControllerType(type);
    }
}
