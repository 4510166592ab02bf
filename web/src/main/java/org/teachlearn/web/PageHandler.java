package org.teachlearn.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the pages, from the jar, and nothing else: {@code /} (the WebXR page), {@code /desktop}
 * (mouse and keyboard), their scripts and style, and {@code /config.json} (the node's {@code ~hand}).
 * The Content-Security-Policy lets a page load and connect to this server only, so nothing is
 * fetched from elsewhere at run time.
 */
final class PageHandler extends Handler.Abstract.NonBlocking {

    private static final String ROOT = "/org/teachlearn/web/page/";
    private static final String POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    private final Map<String, byte[]> bodies = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();

    PageHandler(String hand) throws IOException {
        page("/", "index.html", "text/html; charset=utf-8");
        page("/desktop", "desktop.html", "text/html; charset=utf-8");
        for (String script : new String[] {"link.js", "vr.js", "desktop.js"}) page("/" + script, script, "text/javascript; charset=utf-8");
        page("/style.css", "style.css", "text/css; charset=utf-8");
        bodies.put("/config.json", ("{\"hand\":\"" + hand + "\"}").getBytes(StandardCharsets.UTF_8));
        types.put("/config.json", "application/json");
    }

    private void page(String path, String resource, String type) throws IOException {
        try (InputStream in = PageHandler.class.getResourceAsStream(ROOT + resource)) {
            if (in == null) throw new IOException("the page resource " + ROOT + resource + " is missing from the build");
            bodies.put(path, in.readAllBytes());
            types.put(path, type);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        byte[] body = bodies.get(path);
        if (body == null || !(request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))) {
            Response.writeError(request, response, callback, body == null ? 404 : 405);
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, types.get(path));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("Content-Security-Policy", POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.write(true, request.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }
}
