package org.teachlearn.robot.urdf;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The part of an SRDF (MoveIt's semantic robot description) the suite reads: named joint
 * configurations, {@code <group_state name=… group=…><joint name=… value=…/></group_state>}, and
 * the groups defined by a chain, {@code <group name=…><chain base_link=… tip_link=…/></group>}.
 */
public final class SrdfParser {

    private SrdfParser() {
    }

    /** A named configuration: joint name → position, in document order. */
    public record GroupState(String name, String group, Map<String, Double> joints) { }

    /** A planning group made of the chain from {@code base} to {@code tip}. */
    public record Chain(String group, String base, String tip) { }

    /** Every group of the SRDF text defined by a {@code <chain>}. */
    public static List<Chain> chains(String xml, String where) {
        Element robot = root(xml, where);
        List<Chain> chains = new ArrayList<>();
        NodeList groups = robot.getElementsByTagName("group");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            NodeList c = g.getElementsByTagName("chain");
            if (c.getLength() == 1) {
                Element e = (Element) c.item(0);
                chains.add(new Chain(g.getAttribute("name"), e.getAttribute("base_link"), e.getAttribute("tip_link")));
            }
        }
        return chains;
    }

    private static Element root(String xml, String where) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            Element robot = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
            if (!robot.getTagName().equals("robot")) throw new UrdfException(where + ": the root element is <" + robot.getTagName() + ">, expected <robot>");
            return robot;
        } catch (UrdfException e) {
            throw e;
        } catch (Exception e) {
            throw new UrdfException(where + " is not well-formed XML: " + e.getMessage());
        }
    }

    /** Every {@code group_state} of the SRDF text; {@code where} names its source in errors. */
    public static List<GroupState> groupStates(String xml, String where) {
        Element robot = root(xml, where);
        List<GroupState> states = new ArrayList<>();
        NodeList list = robot.getElementsByTagName("group_state");
        for (int i = 0; i < list.getLength(); i++) {
            Element s = (Element) list.item(i);
            Map<String, Double> joints = new LinkedHashMap<>();
            NodeList js = s.getElementsByTagName("joint");
            for (int k = 0; k < js.getLength(); k++) {
                Element j = (Element) js.item(k);
                String value = j.getAttribute("value").trim();
                try {
                    // a multi-DOF joint lists several values; the suite's joints have one
                    joints.put(j.getAttribute("name"), Double.parseDouble(value.split("\\s+")[0]));
                } catch (NumberFormatException e) {
                    throw new UrdfException(where + ": group_state '" + s.getAttribute("name") + "', joint '" + j.getAttribute("name")
                            + "': value '" + value + "' is not a number");
                }
            }
            states.add(new GroupState(s.getAttribute("name"), s.getAttribute("group"), joints));
        }
        return states;
    }
}
