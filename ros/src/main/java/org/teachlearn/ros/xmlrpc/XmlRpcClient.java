package org.teachlearn.ros.xmlrpc;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Calls an XML-RPC server (a master or another node's slave API). One short HTTP/1.0
 * connection per call, written in one segment; responses above the cap are refused.
 */
public final class XmlRpcClient {

    private final URI uri;
    private final int timeoutMillis;
    private final int maxBytes;

    public XmlRpcClient(URI uri, int timeoutMillis, int maxBytes) {
        this.uri = uri;
        this.timeoutMillis = timeoutMillis;
        this.maxBytes = maxBytes;
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("XML-RPC URI needs a host and a port: " + uri);
        }
    }

    public XmlRpcClient(URI uri) {
        this(uri, 10_000, 64 << 20);
    }

    public URI uri() {
        return uri;
    }

    public Object call(String method, Object... params) throws IOException, XmlRpcFault {
        byte[] body = XmlRpcCodec.call(method, params);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String head = "POST " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUser-Agent: teach_learn\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return XmlRpcCodec.parseResponse(readResponse(new BufferedInputStream(s.getInputStream())));
        }
    }

    private byte[] readResponse(InputStream in) throws IOException, XmlRpcFault {
        String status = line(in);
        if (!status.startsWith("HTTP/")) throw new XmlRpcFault(-32700, "not an HTTP response from " + uri);
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).strip());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        if (length > maxBytes) throw new XmlRpcFault(-32700, "response from " + uri + " larger than " + maxBytes);
        if (chunked) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (long n = Long.parseLong(line(in).split(";")[0].strip(), 16); n > 0;
                    n = Long.parseLong(line(in).split(";")[0].strip(), 16)) {
                if (body.size() + n > maxBytes) throw new XmlRpcFault(-32700, "response larger than " + maxBytes);
                body.write(in.readNBytes((int) n));
                line(in);
            }
            return body.toByteArray();
        }
        if (length >= 0) return in.readNBytes((int) length);
        byte[] body = XmlRpcServer.readCapped(in, maxBytes);
        if (body == null) throw new XmlRpcFault(-32700, "response from " + uri + " larger than " + maxBytes);
        return body;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (b.length() > 8192) throw new IOException("HTTP header line too long");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }
}
