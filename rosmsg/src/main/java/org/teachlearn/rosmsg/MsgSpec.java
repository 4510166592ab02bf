package org.teachlearn.rosmsg;

import java.util.List;

/**
 * A parsed message definition. {@code fullName} is {@code pkg/Name}; {@code text} is the
 * definition exactly as written, which the full definition text repeats verbatim.
 */
public record MsgSpec(String fullName, String text, List<Field> fields, List<Constant> constants) {

    public String packageName() {
        return fullName.substring(0, fullName.indexOf('/'));
    }

    public String shortName() {
        return fullName.substring(fullName.indexOf('/') + 1);
    }
}
