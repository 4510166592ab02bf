package org.teachlearn.rosmsg;

/** A parsed service definition: its request and response halves as messages. */
public record SrvSpec(String fullName, String text, MsgSpec request, MsgSpec response) {
}
