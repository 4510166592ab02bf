package org.teachlearn.nodes.teleop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven over its DevTools protocol with the JDK's WebSocket client:
 * pages are opened as targets, scripts injected before a page's own, expressions evaluated in it.
 * Nothing but the JDK and Gson (to read the answers); no driver binary to match versions with.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    final StringBuilder console = new StringBuilder();

    Chromium() throws Exception {
        this(null);
    }

    /**
     * {@code trustedKey}: the base64 SHA-256 of a certificate's public key that this browser accepts
     * although no authority signed it, as a person who clicked through the warning once would.
     */
    Chromium(String trustedKey) throws Exception {
        if (!Files.isExecutable(BINARY))
            throw new AssertionError("Chromium is missing (" + BINARY + "): the VR page's browser test needs Debian's 'chromium' package; "
                    + "`./teach_learn test` installs it as root (apt-get install chromium)");
        profile = Files.createTempDirectory("vr_web_chromium");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(BINARY.toString(), "--headless=new", "--no-sandbox", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-dev-shm-usage", "--mute-audio", "--window-size=640,480",
                // every window keeps its animation frames, as two headsets side by side would
                "--disable-renderer-backgrounding", "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
                "--use-angle=swiftshader", "--enable-unsafe-swiftshader"));
        if (trustedKey != null) cmd.add("--ignore-certificate-errors-spki-list=" + trustedKey);
        cmd.add("about:blank");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        String endpoint = null;
        StringBuilder seen = new StringBuilder();
        long until = System.nanoTime() + 30_000_000_000L;
        for (String line; endpoint == null && System.nanoTime() < until && (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) endpoint = m.group(1);
        }
        if (endpoint == null) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not start its DevTools endpoint in 30 s:\n" + seen);
        }
        Thread drain = new Thread(() -> {
            try {
                out.lines().forEach(l -> { });
            } catch (java.io.UncheckedIOException closed) {
                // the browser is gone
            }
        }, "chromium output");
        drain.setDaemon(true);
        drain.start();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(endpoint), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    answer(JsonParser.parseString(partial.toString()).getAsJsonObject());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private void answer(JsonObject message) {
        if (message.has("id")) {
            CompletableFuture<JsonObject> f = pending.remove(message.get("id").getAsInt());
            if (f != null) f.complete(message);
        } else if ("Runtime.consoleAPICalled".equals(message.get("method").getAsString())) {
            synchronized (console) {
                for (JsonElement a : message.getAsJsonObject("params").getAsJsonArray("args")) {
                    JsonObject arg = a.getAsJsonObject();
                    console.append(arg.has("value") ? arg.get("value").getAsString() : arg.has("description") ? arg.get("description").getAsString() : "?").append(' ');
                }
                console.append('\n');
            }
        }
    }

    /** Sends a DevTools command (to a page when {@code session} is set) and returns its result. */
    synchronized JsonObject send(String session, String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        JsonObject cmd = new JsonObject();
        cmd.addProperty("id", id);
        cmd.addProperty("method", method);
        cmd.add("params", params != null ? params : new JsonObject());
        if (session != null) cmd.addProperty("sessionId", session);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(cmd.toString(), true).get(10, TimeUnit.SECONDS);
        JsonObject a = answer.get(30, TimeUnit.SECONDS);
        if (a.has("error")) throw new AssertionError(method + ": " + a.get("error"));
        return a.getAsJsonObject("result");
    }

    /** A new tab; {@code injected} runs before each page's own scripts. Returns its session. */
    String open(String url, String injected) throws Exception {
        JsonObject create = new JsonObject();
        create.addProperty("url", "about:blank");
        create.addProperty("newWindow", true);   // a tab in the background would get no animation frames
        String target = send(null, "Target.createTarget", create).get("targetId").getAsString();
        JsonObject attach = new JsonObject();
        attach.addProperty("targetId", target);
        attach.addProperty("flatten", true);
        String session = send(null, "Target.attachToTarget", attach).get("sessionId").getAsString();
        send(session, "Page.enable", null);
        send(session, "Runtime.enable", null);
        JsonObject focus = new JsonObject();
        focus.addProperty("enabled", true);
        send(session, "Emulation.setFocusEmulationEnabled", focus);   // each window behaves as the focused one
        if (injected != null) {
            JsonObject script = new JsonObject();
            script.addProperty("source", injected);
            send(session, "Page.addScriptToEvaluateOnNewDocument", script);
        }
        JsonObject nav = new JsonObject();
        nav.addProperty("url", url);
        send(session, "Page.navigate", nav);
        return session;
    }

    /** Evaluates {@code expression} in the page (awaiting a promise, as if the user clicked); returns its JSON value. */
    JsonElement eval(String session, String expression) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("awaitPromise", true);
        p.addProperty("returnByValue", true);
        p.addProperty("userGesture", true);
        JsonObject r = send(session, "Runtime.evaluate", p);
        if (r.has("exceptionDetails")) throw new AssertionError("in the page: " + expression + "\n" + r.get("exceptionDetails"));
        JsonObject result = r.getAsJsonObject("result");
        return result.has("value") ? result.get("value") : null;
    }

    /** Waits until {@code condition} (a page expression) is true, for {@code seconds} at most. */
    void await(String session, String condition, double seconds) throws Exception {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < until) {
            JsonElement v = eval(session, "(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()");
            if (v != null && v.getAsBoolean()) return;
            Thread.sleep(50);
        }
        throw new AssertionError("the page did not reach `" + condition + "` in " + seconds + " s; console:\n" + console);
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
