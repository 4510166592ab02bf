package org.teachlearn.ros.xmlrpc;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML-RPC documents to and from Java values: Integer (i4/int), Long (i8), Boolean, Double,
 * String, byte[] (base64), List (array) and Map (struct). Parsing never resolves entities or
 * DTDs and refuses documents nested deeper than {@link #MAX_DEPTH}, so a hostile peer can neither
 * read local files nor exhaust the stack.
 */
public final class XmlRpcCodec {

    public static final int MAX_DEPTH = 64;
    private static final XMLInputFactory FACTORY = newFactory();

    /** A parsed call: method name and parameters. */
    public record Call(String method, List<Object> params) {
    }

    private XmlRpcCodec() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return f;
    }

    // --- writing ---

    public static byte[] call(String method, Object... params) {
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\"?>\n<methodCall><methodName>");
        escape(b, method);
        b.append("</methodName><params>");
        for (Object p : params) {
            b.append("<param>");
            value(b, p);
            b.append("</param>");
        }
        b.append("</params></methodCall>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] response(Object result) {
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\"?>\n<methodResponse><params><param>");
        value(b, result);
        b.append("</param></params></methodResponse>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] fault(int code, String message) {
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\"?>\n<methodResponse><fault>");
        value(b, Map.of("faultCode", code, "faultString", message));
        b.append("</fault></methodResponse>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void value(StringBuilder b, Object v) {
        if (v instanceof Object[] arr) v = java.util.Arrays.asList(arr);
        b.append("<value>");
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            b.append("<int>").append(((Number) v).intValue()).append("</int>");
        } else if (v instanceof Long l) {
            if (l == (int) (long) l) b.append("<int>").append(l).append("</int>");
            else b.append("<i8>").append(l).append("</i8>");
        } else if (v instanceof Boolean x) {
            b.append("<boolean>").append(x ? 1 : 0).append("</boolean>");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append("<double>").append(Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf")
                    : Double.toString(d)).append("</double>");
        } else if (v instanceof String s) {
            b.append("<string>");
            escape(b, s);
            b.append("</string>");
        } else if (v instanceof byte[] bytes) {
            b.append("<base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64>");
        } else if (v instanceof List<?> list) {
            b.append("<array><data>");
            for (Object e : list) value(b, e);
            b.append("</data></array>");
        } else if (v instanceof Map<?, ?> map) {
            b.append("<struct>");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append("<member><name>");
                escape(b, String.valueOf(e.getKey()));
                b.append("</name>");
                value(b, e.getValue());
                b.append("</member>");
            }
            b.append("</struct>");
        } else if (v == null) {
            throw new IllegalArgumentException("XML-RPC has no null; use an empty string or omit the value");
        } else {
            throw new IllegalArgumentException("cannot send a " + v.getClass().getName() + " over XML-RPC");
        }
        b.append("</value>");
    }

    private static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\r' -> b.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append("&#").append((int) c).append(';');
                    else b.append(c);
                }
            }
        }
    }

    // --- reading ---

    public static Call parseCall(byte[] body) throws XmlRpcFault {
        try {
            XMLStreamReader r = open(body);
            expectStart(r, "methodCall");
            String method = null;
            List<Object> params = new ArrayList<>();
            while (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
                switch (r.getLocalName()) {
                    case "methodName" -> method = r.getElementText().strip();
                    case "params" -> {
                        while (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
                            requireName(r, "param");
                            nextTag(r);
                            params.add(readValue(r, 1));
                            nextTag(r);
                        }
                    }
                    default -> throw new XmlRpcFault(-32600, "unexpected <" + r.getLocalName() + "> in methodCall");
                }
            }
            if (method == null) throw new XmlRpcFault(-32600, "methodCall without methodName");
            return new Call(method, params);
        } catch (XMLStreamException | RuntimeException e) {
            throw new XmlRpcFault(-32700, "malformed XML-RPC call: " + e.getMessage());
        }
    }

    /** Returns the response value, or throws the fault it carries. */
    public static Object parseResponse(byte[] body) throws XmlRpcFault {
        try {
            XMLStreamReader r = open(body);
            expectStart(r, "methodResponse");
            nextTag(r);
            if (r.getLocalName().equals("fault")) {
                nextTag(r);
                Object f = readValue(r, 1);
                if (f instanceof Map<?, ?> m) {
                    Object code = m.get("faultCode");
                    throw new XmlRpcFault(code instanceof Integer i ? i : -1, String.valueOf(m.get("faultString")));
                }
                throw new XmlRpcFault(-1, "fault: " + f);
            }
            requireName(r, "params");
            nextTag(r);
            requireName(r, "param");
            nextTag(r);
            return readValue(r, 1);
        } catch (XMLStreamException | RuntimeException e) {
            throw new XmlRpcFault(-32700, "malformed XML-RPC response: " + e.getMessage());
        }
    }

    private static XMLStreamReader open(byte[] body) throws XMLStreamException {
        return FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
    }

    private static void expectStart(XMLStreamReader r, String name) throws XMLStreamException, XmlRpcFault {
        if (nextTag(r) != XMLStreamConstants.START_ELEMENT) throw new XmlRpcFault(-32700, "empty document");
        requireName(r, name);
    }

    private static void requireName(XMLStreamReader r, String name) throws XmlRpcFault {
        if (!r.getLocalName().equals(name)) {
            throw new XmlRpcFault(-32600, "expected <" + name + "> but found <" + r.getLocalName() + ">");
        }
    }

    /** Next start or end tag, skipping whitespace and comments; refuses DTDs and entities. */
    private static int nextTag(XMLStreamReader r) throws XMLStreamException, XmlRpcFault {
        while (r.hasNext()) {
            int e = r.next();
            switch (e) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT -> {
                    return e;
                }
                case XMLStreamConstants.DTD -> throw new XmlRpcFault(-32700, "DTDs are not accepted");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new XmlRpcFault(-32700, "entity references are not accepted");
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> {
                    if (!r.isWhiteSpace()) throw new XmlRpcFault(-32700, "unexpected text '" + r.getText().strip() + "'");
                }
                default -> {
                }
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    /** Reads {@code <value>…</value>}; the reader is on the start of value, and ends on its end. */
    private static Object readValue(XMLStreamReader r, int depth) throws XMLStreamException, XmlRpcFault {
        requireName(r, "value");
        if (depth > MAX_DEPTH) throw new XmlRpcFault(-32700, "values nested deeper than " + MAX_DEPTH);
        StringBuilder text = new StringBuilder();
        Object result = null;
        boolean typed = false;
        while (true) {
            int e = r.next();
            if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA || e == XMLStreamConstants.SPACE) {
                if (!typed) text.append(r.getText());
            } else if (e == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new XmlRpcFault(-32700, "entity references are not accepted");
            } else if (e == XMLStreamConstants.START_ELEMENT) {
                typed = true;
                result = readTyped(r, depth);
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                return typed ? result : text.toString();
            } else if (e == XMLStreamConstants.END_DOCUMENT) {
                throw new XmlRpcFault(-32700, "document ends inside a value");
            }
        }
    }

    private static Object readTyped(XMLStreamReader r, int depth) throws XMLStreamException, XmlRpcFault {
        String type = r.getLocalName();
        switch (type) {
            case "int", "i4" -> {
                return Integer.parseInt(r.getElementText().strip());
            }
            case "i8" -> {
                return Long.parseLong(r.getElementText().strip());
            }
            case "boolean" -> {
                String t = r.getElementText().strip();
                return t.equals("1") || t.equalsIgnoreCase("true");
            }
            case "double" -> {
                String t = r.getElementText().strip().toLowerCase();
                return switch (t) {
                    case "nan" -> Double.NaN;
                    case "inf", "infinity" -> Double.POSITIVE_INFINITY;
                    case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(t);
                };
            }
            case "string", "dateTime.iso8601" -> {
                return r.getElementText();
            }
            case "base64" -> {
                return Base64.getMimeDecoder().decode(r.getElementText().strip());
            }
            case "nil" -> {
                nextTag(r);
                return "";
            }
            case "array" -> {
                List<Object> list = new ArrayList<>();
                if (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
                    requireName(r, "data");
                    while (nextTag(r) == XMLStreamConstants.START_ELEMENT) list.add(readValue(r, depth + 1));
                    nextTag(r);
                }
                return list;
            }
            case "struct" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
                    requireName(r, "member");
                    String name = null;
                    Object value = null;
                    while (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
                        if (r.getLocalName().equals("name")) name = r.getElementText();
                        else value = readValue(r, depth + 1);
                    }
                    if (name == null || value == null) throw new XmlRpcFault(-32600, "struct member without name or value");
                    map.put(name, value);
                }
                return map;
            }
            default -> throw new XmlRpcFault(-32600, "unknown XML-RPC type <" + type + ">");
        }
    }
}
