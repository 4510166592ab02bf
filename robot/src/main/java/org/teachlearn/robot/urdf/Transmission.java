package org.teachlearn.robot.urdf;

import java.util.List;

/** A ros_control {@code <transmission>}: which joints it drives and through which hardware interfaces. */
public record Transmission(String name, String type, List<String> joints, List<String> hardwareInterfaces,
        double mechanicalReduction) {
}
