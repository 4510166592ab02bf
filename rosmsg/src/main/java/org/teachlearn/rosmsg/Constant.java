package org.teachlearn.rosmsg;

/**
 * A constant declared in a message ({@code uint8 DEBUG=1}). {@code valueText} is the text ROS
 * hashes (trimmed); {@code value} is a Long, Double, Boolean or String.
 */
public record Constant(String type, String name, String valueText, Object value) {
}
