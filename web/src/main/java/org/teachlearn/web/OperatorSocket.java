package org.teachlearn.web;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One browser's WebSocket, after its pairing token was accepted. It decodes and checks the frames
 * (each connection has its own page clock, so its own {@link ClockSync}) and hands them to the
 * server, which decides whether this browser is the one driving. Public only because Jetty calls
 * its listener methods through method handles.
 */
public final class OperatorSocket implements Session.Listener.AutoDemanding {

    /** Close codes the page understands (4000–4999 are the application's own). */
    static final int BUSY = 4409, TAKEN_OVER = 4001, UNSUPPORTED = 1003, POLICY = 1008;

    final String remote;
    final boolean takeover;
    final ClockSync clock = new ClockSync();
    final FrameDecoder decoder;
    final ControllerFrame frame = new ControllerFrame();
    private final VrWebServer server;
    private volatile Session session;
    long lastSeq = -1;

    OperatorSocket(VrWebServer server, String remote, boolean takeover, double maxPosition) {
        this.server = server;
        this.remote = remote;
        this.takeover = takeover;
        this.decoder = new FrameDecoder(maxPosition);
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        server.opened(this);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            server.received(this, payload);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketText(String message) {
        close(UNSUPPORTED, "text messages are not part of the protocol: the page sends binary frames");
    }

    @Override
    public void onWebSocketClose(int status, String reason) {
        server.closed(this, status, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        server.failed(this, cause);
    }

    /** Sends a clock ping (the server's scheduler thread). */
    void sendPing(long id) {
        Session s = session;
        if (s == null || !s.isOpen()) return;
        ByteBuffer out = ByteBuffer.allocate(FrameDecoder.PING_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.putDouble(FrameDecoder.KIND_PING).putDouble(id).flip();
        s.sendBinary(out, Callback.NOOP);
    }

    /** A status line for the page to show. */
    void say(String json) {
        Session s = session;
        if (s != null && s.isOpen()) s.sendText(json, Callback.NOOP);
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) s.close(code, fitCloseReason(reason), Callback.NOOP);
    }

    /** A WebSocket close reason is at most 123 bytes of UTF-8. */
    static String fitCloseReason(String reason) {
        String r = reason;
        while (r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) r = r.substring(0, r.length() - 2) + "…";
        return r;
    }

    boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }
}
