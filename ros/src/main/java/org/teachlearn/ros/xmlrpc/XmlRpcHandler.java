package org.teachlearn.ros.xmlrpc;

import java.util.List;

/** Answers one XML-RPC method call; a thrown {@link XmlRpcFault} becomes a fault response. */
@FunctionalInterface
public interface XmlRpcHandler {
    Object call(String method, List<Object> params) throws XmlRpcFault;
}
