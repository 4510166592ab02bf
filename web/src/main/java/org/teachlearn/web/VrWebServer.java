package org.teachlearn.web;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The operator's web server: the pages ({@link PageHandler}) and the WebSocket {@code /link} that
 * the driving browser streams its controller over. One browser drives at a time: a second one with
 * the right token is turned away (close code 4409) unless it asks to take over ({@code takeover=1}),
 * which closes the first (4001). Whenever the driver goes away or falls silent for
 * {@code releaseAfter} while it held a button, the sink is told to release the buttons, so nothing
 * stays clutched.
 */
public final class VrWebServer implements AutoCloseable {

    /** Frames above this rate are a flood, not a headset (the fastest run at 120–144 Hz). */
    static final int MAX_FRAMES_PER_SECOND = 500;
    /** So many refused frames in a row and the client is dropped: it is not the page. */
    static final int MAX_REFUSED_IN_A_ROW = 100;
    static final int MAX_MESSAGE_BYTES = 1024;

    private final WebSettings settings;
    private final ControllerSink sink;
    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService timer;

    // the driving browser and what it has sent; guarded by this
    private OperatorSocket driver;
    private long lastFrameNanos, windowStart, framesInWindow;
    private boolean holding;   // the last published joy had a button down or an axis off rest
    private int refusedInARow;
    private long ticks;          // of the 100 ms timer since the driver connected
    private long lastRefusedLog, refusedSinceLog;
    private final Stats stats = new Stats();

    /** Counters since start. */
    public static final class Stats {
        public long frames, published, untracked, refused, missing, beforeClockSync, refusedConnections, dropped;
        public long clockUncertaintyNanos = Long.MAX_VALUE;

        Stats copy() {
            Stats s = new Stats();
            s.frames = frames; s.published = published; s.untracked = untracked; s.refused = refused; s.missing = missing;
            s.beforeClockSync = beforeClockSync; s.refusedConnections = refusedConnections; s.dropped = dropped;
            s.clockUncertaintyNanos = clockUncertaintyNanos;
            return s;
        }
    }

    public VrWebServer(WebSettings settings, ControllerSink sink) throws Exception {
        this.settings = settings;
        this.sink = sink;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("vr_web");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        if (settings.https()) {
            SelfSignedCertificate cert = SelfSignedCertificate.inDirectory(settings.certDir());
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(cert.store().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(cert.password());
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);   // headsets come by IP address, without SNI
            http.addCustomizer(secure);
            connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
            sink.info((cert.created() ? "made a new HTTPS certificate in " : "HTTPS certificate from ") + cert.store()
                    + "; SHA-256 fingerprint " + cert.fingerprint());
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        server.addConnector(connector);
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
            container.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
            container.setMaxFrameSize(MAX_MESSAGE_BYTES);
            container.setIdleTimeout(Duration.ofSeconds(10));
            container.addMapping("/link", (request, response, callback) -> {
                Fields query = Request.extractQueryParameters(request);
                String remote = Request.getRemoteAddr(request);
                if (!settings.token().matches(query.getValue("token"))) {
                    refusedConnection("refused a browser at " + remote + ": missing or wrong pairing token");
                    Response.writeError(request, response, callback, 403, "pairing token missing or wrong");
                    return null;
                }
                return new OperatorSocket(this, remote, "1".equals(query.getValue("takeover")), settings.maxPosition());
            });
        });
        upgrade.setHandler(new PageHandler(settings.hand()));
        server.setHandler(upgrade);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vr_web clock");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() throws Exception {
        server.start();
        timer.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** The port it listens on (the chosen one when {@code ~http_port} is 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public boolean https() {
        return settings.https();
    }

    public synchronized Stats stats() {
        if (driver != null) stats.clockUncertaintyNanos = driver.clock.uncertaintyNanos();
        return stats.copy();
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        synchronized (this) {
            if (driver != null) release("vr_web is shutting down");
        }
        server.stop();
    }

    // --- connections ---

    synchronized void opened(OperatorSocket socket) {
        if (driver != null && driver.isOpen()) {
            if (!socket.takeover) {
                refusedConnection("refused a second browser at " + socket.remote + ": " + driver.remote + " is driving (it may take over explicitly)");
                socket.close(OperatorSocket.BUSY, "another browser (" + driver.remote + ") is driving; take over to drive from here");
                return;
            }
            OperatorSocket old = driver;
            release("taken over by " + socket.remote);
            old.close(OperatorSocket.TAKEN_OVER, "taken over by another browser (" + socket.remote + ")");
        }
        driver = socket;
        lastFrameNanos = System.nanoTime();
        refusedInARow = 0;
        ticks = 0;
        sink.info("browser at " + socket.remote + " is driving" + (socket.takeover ? " (took over)" : ""));
        socket.say("{\"driving\":true}");
        for (int i = 0; i < 3; i++) socket.sendPing(socket.clock.ping(System.nanoTime()));
    }

    synchronized void closed(OperatorSocket socket, int status, String reason) {
        if (socket != driver) return;
        release("the browser at " + socket.remote + " went away (" + status + (reason != null ? " " + reason : "") + ")");
    }

    synchronized void failed(OperatorSocket socket, Throwable cause) {
        sink.warn("browser at " + socket.remote + ": " + cause + "; connection closed");
        if (socket == driver) {
            stats.dropped++;
            release("the browser at " + socket.remote + " was dropped");
        }
    }

    private void refusedConnection(String why) {
        synchronized (this) {
            stats.refusedConnections++;
        }
        sink.warn(why);
    }

    /** The driver is gone: buttons released, nobody drives. */
    private void release(String why) {
        driver = null;
        if (holding) sink.released(why);
        else sink.info(why);
        holding = false;
    }

    // --- frames ---

    synchronized void received(OperatorSocket socket, ByteBuffer message) {
        if (socket != driver) return;   // closing after a refusal or a take-over
        long now = System.nanoTime();
        if (now - windowStart > 1_000_000_000L) {
            windowStart = now;
            framesInWindow = 0;
        }
        if (++framesInWindow > MAX_FRAMES_PER_SECOND) {
            drop(socket, "more than " + MAX_FRAMES_PER_SECOND + " messages in a second");
            return;
        }
        switch (socket.decoder.decode(message, socket.frame, socket.lastSeq)) {
            case CLOCK -> socket.clock.answer(socket.decoder.clockPing(), socket.decoder.clockMillis(), now);
            case PROTOCOL_ERROR -> drop(socket, socket.decoder.error());
            case REFUSED -> refused(socket);
            case POSE -> pose(socket, now);
        }
    }

    private void pose(OperatorSocket socket, long now) {
        ControllerFrame f = socket.frame;
        stats.frames++;
        if (socket.lastSeq >= 0) stats.missing += f.seq - socket.lastSeq - 1;
        socket.lastSeq = f.seq;
        refusedInARow = 0;
        lastFrameNanos = now;
        if (!socket.clock.synced()) {
            // its time cannot be placed yet: better no pose than one stamped with a guess
            stats.beforeClockSync++;
            return;
        }
        if (!f.tracked) stats.untracked++;
        long sampled = Math.min(socket.clock.toNanoTime(f.sampleMillis), now);
        sink.frame(f, sampled);
        stats.published++;
        holding = false;
        for (int b : f.buttons) holding |= b != 0;
        for (float a : f.axes) holding |= a != 0;
    }

    private void refused(OperatorSocket socket) {
        stats.refused++;
        refusedSinceLog++;
        long now = System.nanoTime();
        if (now - lastRefusedLog > 1_000_000_000L) {   // every refusal counted, one line a second at most
            sink.warn("refused " + refusedSinceLog + " frame(s) from " + socket.remote + ", nothing published; last: " + socket.decoder.error());
            socket.say("{\"refused\":" + quote(socket.decoder.error()) + "}");
            lastRefusedLog = now;
            refusedSinceLog = 0;
        }
        if (++refusedInARow >= MAX_REFUSED_IN_A_ROW) drop(socket, MAX_REFUSED_IN_A_ROW + " refused frames in a row; last: " + socket.decoder.error());
    }

    private void drop(OperatorSocket socket, String why) {
        stats.dropped++;
        sink.warn("dropped the browser at " + socket.remote + ": " + why);
        release("the browser at " + socket.remote + " was dropped");
        socket.close(OperatorSocket.POLICY, why);
    }

    /** Every 100 ms: clock pings (10 a second for the first second, then 5), and the silence watchdog. */
    private synchronized void tick() {
        OperatorSocket d = driver;
        if (d == null) return;
        long now = System.nanoTime();
        if (++ticks <= 10 || ticks % 2 == 0) d.sendPing(d.clock.ping(now));
        if (holding && now - lastFrameNanos > settings.releaseAfter() * 1e9) {
            sink.released("no frame from " + d.remote + " for " + settings.releaseAfter() + " s");
            holding = false;
        }
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(' ');
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
