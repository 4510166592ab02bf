package org.teachlearn.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A browser as the server sees it, made with the JDK's WebSocket client: it answers clock pings as
 * the page does and sends frames in the page's layout (or anything else a test wants).
 */
final class TestBrowser implements WebSocket.Listener {

    final WebSocket socket;
    final CompletableFuture<String> closed = new CompletableFuture<>();   // "code reason"
    final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final long start = System.nanoTime();
    private long seq;

    private TestBrowser(URI uri) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, this).get(5, TimeUnit.SECONDS);
    }

    static TestBrowser open(int port, String query) throws Exception {
        return new TestBrowser(URI.create("ws://127.0.0.1:" + port + "/link" + query));
    }

    /** The page's clock: ms since this browser started. */
    double pageMillis() {
        return (System.nanoTime() - start) / 1e6;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ByteBuffer in = data.order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() == 16 && in.getDouble(0) == 3) {
            ByteBuffer reply = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            reply.putDouble(2).putDouble(in.getDouble(8)).putDouble(pageMillis()).flip();
            try {
                send(ws, reply.order(ByteOrder.BIG_ENDIAN));
            } catch (Exception closed) {
                // the server closed this browser
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        texts.add(data.toString());
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        closed.complete(code + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete("error " + error);
    }

    /** A pose frame in the page's layout, sampled now. */
    static ByteBuffer pose(long seq, double sampleMillis, double[] p, double[] q, int[] buttons, double[] axes) {
        ByteBuffer f = ByteBuffer.allocate(FrameDecoder.POSE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        f.putDouble(1).putDouble(seq).putDouble(sampleMillis);
        for (double v : p) f.putDouble(v);
        for (double v : q) f.putDouble(v);
        f.putDouble(1);
        for (int b : buttons) f.putDouble(b);
        for (double a : axes) f.putDouble(a);
        // the bytes are little-endian; the buffer goes out big-endian because the JDK client's masking
        // copies 8 bytes at a time in the buffer's order, which swaps them when it is little-endian
        return f.flip().order(ByteOrder.BIG_ENDIAN);
    }

    /** Sends the next frame (seq counts up) with the given pose and the clutch as given. */
    void send(double[] p, double[] q, boolean clutch) throws Exception {
        sendRaw(pose(seq++, pageMillis(), p, q, new int[] {clutch ? 1 : 0, 0, 0, 0, 0}, new double[] {0.5, 0, 0, 0}));
    }

    /** One message at a time: the JDK client refuses a send while another is pending. */
    void sendRaw(ByteBuffer message) throws Exception {
        send(socket, message);
    }

    synchronized void sendText(String text) throws Exception {
        socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    private synchronized void send(WebSocket ws, ByteBuffer message) throws Exception {
        ws.sendBinary(message, true).get(5, TimeUnit.SECONDS);
    }
}
