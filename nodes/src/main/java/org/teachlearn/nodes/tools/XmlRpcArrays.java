package org.teachlearn.nodes.tools;

import java.util.List;

/** XML-RPC arrays in master replies, as lists (the client gives lists; arrays are accepted too). */
final class XmlRpcArrays {

    private XmlRpcArrays() {
    }

    static List<?> list(Object o) {
        if (o instanceof List<?> l) return l;
        if (o instanceof Object[] a) return List.of(a);
        throw new IllegalStateException("expected an XML-RPC array, got " + o);
    }
}
