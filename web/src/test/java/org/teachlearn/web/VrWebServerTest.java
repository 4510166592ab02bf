package org.teachlearn.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as browsers, good and bad, meet it: over real sockets, on localhost. */
class VrWebServerTest {

    static final String TOKEN = "test-token-1234";
    static final double[] HOME = {0.1, 1.0, -0.4}, UPRIGHT = {0, 0, 0, 1};

    @TempDir
    Path dir;
    RecordingSink sink;
    VrWebServer server;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        server = new VrWebServer(new WebSettings("127.0.0.1", 0, false, dir, PairingToken.of(TOKEN), "right", 5.0, 0.3), sink);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    TestBrowser driver() throws Exception {
        TestBrowser b = TestBrowser.open(server.port(), "?token=" + TOKEN);
        assertEquals("{\"driving\":true}", b.texts.poll(5, TimeUnit.SECONDS));
        long until = System.nanoTime() + 2_000_000_000L;   // the first clock answers
        while (server.stats().clockUncertaintyNanos == Long.MAX_VALUE && System.nanoTime() < until) Thread.sleep(10);
        assertFalse(b.closed.isDone(), () -> b.closed.join() + "; " + sink.log());
        return b;
    }

    void awaitFrames(int n) throws InterruptedException {
        long until = System.nanoTime() + 3_000_000_000L;
        while (sink.frameCount() < n && System.nanoTime() < until) Thread.sleep(5);
        assertEquals(n, sink.frameCount(), sink.log());
    }

    @Test
    void servesThePagesWithAPolicyThatAllowsNothingFromElsewhere() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/", "/desktop", "/link.js", "/vr.js", "/desktop.js", "/style.css", "/config.json"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"), path);
            assertFalse(r.body().matches("(?s).*(src|href)=\"https?://.*"), path + " loads something from elsewhere");
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/../pom.xml")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(missing.statusCode() >= 400, "status " + missing.statusCode());
    }

    @Test
    void socketWithoutTheRightTokenIsRefused() throws Exception {
        for (String query : new String[] {"", "?token=", "?token=test-token-1235", "?token=" + TOKEN + "x"}) {
            Exception e = assertThrows(Exception.class, () -> TestBrowser.open(server.port(), query), query);
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) chain.append(t).append(" / ");
            assertTrue(chain.toString().contains("status code 403"), query + ": " + chain);
        }
        assertEquals(4, server.stats().refusedConnections);
        assertTrue(sink.warnings.get(0).contains("missing or wrong pairing token"), sink.log());
        assertEquals(0, sink.frameCount());
    }

    @Test
    void framesFromTheDriverReachTheSinkStampedWhenSampled() throws Exception {
        TestBrowser b = driver();
        for (int i = 0; i < 20; i++) {
            b.send(new double[] {0.01 * i, 1.0, -0.4}, UPRIGHT, i >= 10);
            Thread.sleep(5);
        }
        awaitFrames(20);
        RecordingSink.Frame last = sink.frames.get(19);
        assertEquals(19, last.seq());
        assertEquals(0.19, last.position()[0], 1e-12);
        assertEquals(1, last.buttons()[ControllerFrame.BUTTON_GRIP]);
        assertEquals(0.5f, last.axes()[ControllerFrame.AXIS_TRIGGER]);
        for (RecordingSink.Frame f : sink.frames) {
            long age = f.receivedNanoTime() - f.sampleNanoTime();
            assertTrue(age >= 0 && age < 250_000_000L, "a frame sampled " + age / 1e6 + " ms before it arrived (loopback: ~0; a loaded machine may hold it a while)");
        }
        assertEquals(0, server.stats().missing);
    }

    @Test
    void badValuesAreRefusedWithTheReasonAndNothingIsPublished() throws Exception {
        TestBrowser b = driver();
        b.sendRaw(TestBrowser.pose(0, b.pageMillis(), new double[] {Double.NaN, 1, 0}, UPRIGHT, new int[5], new double[4]));
        b.sendRaw(TestBrowser.pose(1, b.pageMillis(), HOME, new double[] {0, 0, 0, 2}, new int[5], new double[4]));
        b.sendRaw(TestBrowser.pose(2, b.pageMillis(), new double[] {10, 1, 0}, UPRIGHT, new int[5], new double[4]));
        b.sendRaw(TestBrowser.pose(3, Double.POSITIVE_INFINITY, HOME, UPRIGHT, new int[5], new double[4]));
        b.sendRaw(TestBrowser.pose(4, b.pageMillis(), HOME, UPRIGHT, new int[] {2, 0, 0, 0, 0}, new double[4]));
        b.sendRaw(TestBrowser.pose(5, b.pageMillis(), HOME, UPRIGHT, new int[5], new double[] {1.5, 0, 0, 0}));
        b.sendRaw(TestBrowser.pose(7, b.pageMillis(), HOME, new double[] {0, 0, 0, 1.0000004}, new int[5], new double[4]));   // float32 noise: renormalised
        b.sendRaw(TestBrowser.pose(6, b.pageMillis(), HOME, UPRIGHT, new int[5], new double[4]));   // back in time
        awaitFrames(1);
        Thread.sleep(100);
        assertEquals(1, sink.frameCount(), "only the good frame: " + sink.log());
        assertEquals(7, sink.frames.get(0).seq());
        assertEquals(1.0, sink.frames.get(0).orientation()[3], 1e-15);
        assertEquals(7, server.stats().refused);
        String refusal = b.texts.poll(2, TimeUnit.SECONDS);
        assertTrue(refusal != null && refusal.contains("position holds NaN"), "the page is told why: " + refusal);
        assertTrue(sink.warnings.stream().anyMatch(w -> w.contains("position holds NaN")), sink.log());
        assertFalse(b.closed.isDone(), "bad values drop the frame, not the browser");
    }

    @Test
    void garbageDropsTheBrowser() throws Exception {
        TestBrowser b = driver();
        b.sendRaw(ByteBuffer.wrap("hello, robot".getBytes()));
        assertTrue(b.closed.get(3, TimeUnit.SECONDS).startsWith("1008 a message of 12 bytes"), b.closed.get());
        TestBrowser t = driver();
        t.sendText("{\"pose\": 1}");
        assertTrue(t.closed.get(3, TimeUnit.SECONDS).startsWith("1003"), t.closed.get());
        assertEquals(0, sink.frameCount());
    }

    @Test
    void aMegabyteFrameDropsTheBrowserBeforeItIsRead() throws Exception {
        TestBrowser b = driver();
        b.send(HOME, UPRIGHT, true);
        awaitFrames(1);
        try {
            b.sendRaw(ByteBuffer.allocate(1 << 20));
        } catch (Exception e) {
            // the server may close while the megabyte is still going out
        }
        // The JDK client may fail its own write (broken pipe) before it reads the server's close
        // frame; the server's side says which close it sent.
        String seen = b.closed.get(5, TimeUnit.SECONDS);
        assertTrue(seen.startsWith("1009") || seen.startsWith("error"), seen);
        assertEquals(1, sink.frameCount());
        long until = System.nanoTime() + 2_000_000_000L;
        while (sink.released.isEmpty() && System.nanoTime() < until) Thread.sleep(5);
        assertEquals(1, sink.released.size(), "the clutch it held is released: " + sink.log());
        assertTrue(sink.log().contains("1009") || sink.log().toLowerCase().contains("too large"),
                "the server closed it for the size: " + sink.log());
    }

    @Test
    void aSecondBrowserIsRefusedUnlessItTakesOver() throws Exception {
        TestBrowser first = driver();
        first.send(HOME, UPRIGHT, true);
        awaitFrames(1);
        TestBrowser second = TestBrowser.open(server.port(), "?token=" + TOKEN);
        String refusal = second.closed.get(3, TimeUnit.SECONDS);
        assertTrue(refusal.startsWith("4409 another browser"), refusal);
        assertFalse(first.closed.isDone());
        TestBrowser third = TestBrowser.open(server.port(), "?token=" + TOKEN + "&takeover=1");
        assertTrue(first.closed.get(3, TimeUnit.SECONDS).startsWith("4001 taken over"), first.closed.get());
        assertEquals(1, sink.released.size(), "the first one's clutch is released at the take-over: " + sink.log());
        assertEquals("{\"driving\":true}", third.texts.poll(3, TimeUnit.SECONDS));
        Thread.sleep(200);   // clock answers
        third.send(HOME, UPRIGHT, false);
        awaitFrames(2);
    }

    @Test
    void aSilentDriverHoldingTheClutchIsReleased() throws Exception {
        TestBrowser b = driver();
        b.send(HOME, UPRIGHT, true);
        awaitFrames(1);
        Thread.sleep(600);   // ~release_after is 0.3 s here
        assertEquals(1, sink.released.size(), sink.log());
        assertTrue(sink.released.get(0).contains("no frame"), sink.log());
        assertFalse(b.closed.isDone());
    }

    @Test
    void httpsMakesItsCertificateOnceAndServesWithIt() throws Exception {
        Path certs = dir.resolve("certs");
        RecordingSink s = new RecordingSink();
        try (VrWebServer tls = new VrWebServer(new WebSettings("127.0.0.1", 0, true, certs, PairingToken.of(TOKEN), "left", 5.0, 0.5), s)) {
            tls.start();
            SelfSignedCertificate cert = SelfSignedCertificate.inDirectory(certs);
            assertFalse(cert.created(), "made at the server's start, kept");
            assertTrue(s.infos.get(0).contains("made a new HTTPS certificate") && s.infos.get(0).contains(cert.fingerprint()), s.log());
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(cert.store())) {
                trust.load(in, cert.password().toCharArray());
            }
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(ssl).build()
                    .send(HttpRequest.newBuilder(URI.create("https://localhost:" + tls.port() + "/config.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"hand\":\"left\"}", r.body());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(cert.store())));
        }
    }

    @Test
    void settingsSayWhatIsWrong() {
        assertTrue(WebSettings.https("auto", "0.0.0.0"));
        assertFalse(WebSettings.https("auto", "127.0.0.1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebSettings.https("yes", "127.0.0.1")).getMessage().contains("true, false or auto"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PairingToken.of("abc")).getMessage().contains("at least 8"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new WebSettings("127.0.0.1", 0, false, dir, PairingToken.random(), "middle", 5, 0.5)).getMessage().contains("right or left"));
    }
}
