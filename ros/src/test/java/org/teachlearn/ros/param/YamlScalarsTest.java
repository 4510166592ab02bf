package org.teachlearn.ros.param;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlScalarsTest {

    @Test
    void typesValuesAsYamlSafeLoadDoes() {
        assertEquals(42, YamlScalars.parse("42"));
        assertEquals(5_000_000_000L, YamlScalars.parse("5000000000"));
        assertEquals(-1.5, YamlScalars.parse("-1.5"));
        assertEquals(1e3, YamlScalars.parse("1.0e3"));
        assertEquals(true, YamlScalars.parse("True"));
        assertEquals(false, YamlScalars.parse("off"));
        assertEquals("hello world", YamlScalars.parse("hello world"));
        assertEquals("42", YamlScalars.parse("'42'"));
        assertEquals(Double.POSITIVE_INFINITY, YamlScalars.parse(".inf"));
        assertEquals(List.of(1, 2.5, "x"), YamlScalars.parse("[1, 2.5, x]"));
        assertEquals(Map.of("p", 1.0, "names", List.of("a", "b")), YamlScalars.parse("{p: 1.0, names: [a, b]}"));
        assertEquals("", YamlScalars.parse(""));
    }
}
