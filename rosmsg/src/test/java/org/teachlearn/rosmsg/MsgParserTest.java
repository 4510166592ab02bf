package org.teachlearn.rosmsg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MsgParserTest {

    @Test
    void parsesFieldsArraysConstantsAndComments() {
        MsgSpec s = MsgParser.parseMsg("pkg/Thing", String.join("\n",
                "# leading comment",
                "uint8 MODE_A=1   # trailing comment",
                "string NAME= hello # not a comment",
                "Header header",
                "  float64[]   values  # spaces",
                "uint8[16] uuid",
                "Other[] others",
                "geometry_msgs/Point p",
                "time t",
                "duration d",
                ""));
        assertEquals(List.of(new Constant("uint8", "MODE_A", "1", 1L),
                new Constant("string", "NAME", "hello # not a comment", "hello # not a comment")), s.constants());
        assertEquals(new FieldType("std_msgs/Header", false, -1), s.fields().get(0).type());
        assertEquals("float64[]", s.fields().get(1).type().text());
        assertEquals(new FieldType("uint8", true, 16), s.fields().get(2).type());
        assertEquals("pkg/Other", s.fields().get(3).type().base());
        assertEquals("geometry_msgs/Point", s.fields().get(4).type().base());
        assertTrue(s.fields().get(5).type().isBuiltin() && s.fields().get(6).type().isBuiltin());
    }

    @Test
    void md5TextMatchesGenmsgRules() {
        MsgCatalog c = new MsgCatalog();
        c.addMessage("std_msgs/Header", "uint32 seq\ntime stamp\nstring frame_id\n");
        c.addMessage("std_msgs/String", "string data\n");
        c.addMessage("pkg/Stamped", "# c\nint32 X = 3\nHeader header\nstd_msgs/String[] texts\n");
        assertEquals("2176decaecbce78abc3b96ef049fabed", c.md5("std_msgs/Header"));
        assertEquals("992ce8a1687cec8c8bd883ec73ca41d1", c.md5("std_msgs/String"));
        assertEquals("int32 X=3\n2176decaecbce78abc3b96ef049fabed header\n992ce8a1687cec8c8bd883ec73ca41d1 texts",
                c.md5Text(c.message("pkg/Stamped")));
        String full = c.fullText("pkg/Stamped");
        assertTrue(full.startsWith("# c\nint32 X = 3\n"));
        assertTrue(full.contains("\n" + "=".repeat(80) + "\nMSG: std_msgs/Header\nuint32 seq"));
        MsgCatalog back = new MsgCatalog();
        back.addFullText("pkg/Stamped", full);
        assertEquals(c.md5("pkg/Stamped"), back.md5("pkg/Stamped"));
    }

    @Test
    void serviceSplitsAtDashes() {
        SrvSpec s = MsgParser.parseSrv("std_srvs/SetBool", "bool data\n---\nbool success\nstring message\n");
        assertEquals("std_srvs/SetBoolRequest", s.request().fullName());
        assertEquals(2, s.response().fields().size());
        MsgCatalog c = new MsgCatalog();
        c.addMessage("x/Y", "int32 a\n");
        assertEquals(32, c.md5("x/Y").length());
    }

    @Test
    void errorsNameTheTypeAndLine() {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
                () -> MsgParser.parseMsg("pkg/Bad", "int32 ok\nint32 two words here\n"));
        assertTrue(e.getMessage().contains("pkg/Bad line 2"), e.getMessage());
        assertThrows(InvalidDefinitionException.class, () -> MsgParser.parseMsg("pkg/Bad", "uint8 X=300\n"));
        assertThrows(InvalidDefinitionException.class, () -> MsgParser.parseMsg("pkg/Bad", "float64[x] v\n"));
        assertThrows(InvalidDefinitionException.class, () -> MsgParser.parseMsg("pkg/Bad", "Header[] 9lives\n"));
        assertThrows(InvalidDefinitionException.class, () -> MsgParser.parseMsg("pkg/Bad", "float64[] X=1\n"));
    }
}
