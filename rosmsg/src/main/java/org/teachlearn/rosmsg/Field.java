package org.teachlearn.rosmsg;

/** One field of a message: its type and name, in declaration order. */
public record Field(FieldType type, String name) {
}
