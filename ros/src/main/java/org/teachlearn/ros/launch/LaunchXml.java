package org.teachlearn.ros.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A launch file as a tree of elements that remember their line, so every error can name it. Read
 * with StAX, no DTDs or external entities (a launch file is code from anywhere).
 */
final class LaunchXml {

    /** One element: tag, attributes in file order, children, the text directly inside it, where it starts. */
    record Element(String tag, Map<String, String> attributes, List<Element> children, String text, Path file, int line) {

        String attr(String name) {
            return attributes.get(name);
        }

        LaunchException error(String message) {
            return new LaunchException(file, line, message);
        }
    }

    private LaunchXml() {
    }

    static Element read(Path file) {
        if (!Files.isRegularFile(file)) throw new LaunchException(file, 0, "no such launch file");
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) return element(r, file);
                }
                throw new LaunchException(file, 1, "no XML element in the file");
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
            throw new LaunchException(file, line, "invalid XML: " + e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", ""));
        } catch (IOException e) {
            throw new LaunchException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    /** The element the reader stands on (START_ELEMENT), read to its end. */
    private static Element element(XMLStreamReader r, Path file) throws XMLStreamException {
        int line = r.getLocation().getLineNumber();
        String tag = r.getLocalName();
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < r.getAttributeCount(); i++) attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
        List<Element> children = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> children.add(element(r, file));
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text.append(r.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    return new Element(tag, attrs, children, text.toString(), file, line);
                }
                default -> {
                }
            }
        }
    }
}
