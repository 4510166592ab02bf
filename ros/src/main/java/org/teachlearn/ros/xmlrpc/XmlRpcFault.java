package org.teachlearn.ros.xmlrpc;

/** An XML-RPC fault, or a request or response that is not valid XML-RPC. */
public class XmlRpcFault extends Exception {
    private final int code;

    public XmlRpcFault(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
