package org.teachlearn.robot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlModeTest {

    @Test
    void gripperActionControllersTakeTheModeOfTheirPackage() {
        assertEquals(ControlMode.POSITION, ControlMode.ofControllerType("position_controllers/GripperActionController"));
        assertEquals(ControlMode.EFFORT, ControlMode.ofControllerType("effort_controllers/GripperActionController"));
        assertTrue(ControlMode.isGripperAction("effort_controllers/GripperActionController"));
        assertFalse(ControlMode.isGripperAction("effort_controllers/JointGroupPositionController"));
        assertThrows(IllegalArgumentException.class, () -> ControlMode.ofControllerType("velocity_controllers/GripperActionController"));
    }

    @Test
    void jointGroupControllersAsBefore() {
        assertEquals(ControlMode.POSITION, ControlMode.ofControllerType("effort_controllers/JointGroupPositionController"));
        assertEquals(ControlMode.VELOCITY, ControlMode.ofControllerType("velocity_controllers/JointGroupVelocityController"));
        assertThrows(IllegalArgumentException.class, () -> ControlMode.ofControllerType("foo/Bar"));
    }
}
