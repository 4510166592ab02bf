package org.teachlearn.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * How the page is served. {@code https} "auto" means HTTPS exactly when the server is reachable
 * beyond this machine (bound to anything but a loopback address): WebXR needs a secure context,
 * which {@code http://localhost} already is and a LAN address over plain HTTP is not.
 */
public record WebSettings(String bind, int port, boolean https, Path certDir, PairingToken token, String hand,
                          double maxPosition, double releaseAfter) {

    public WebSettings {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("~http_port " + port + " is not a TCP port (0 picks a free one)");
        if (!hand.equals("right") && !hand.equals("left")) throw new IllegalArgumentException("~hand '" + hand + "' must be right or left");
        if (!(maxPosition > 0)) throw new IllegalArgumentException("~max_position " + maxPosition + " must be > 0 m");
        if (!(releaseAfter > 0)) throw new IllegalArgumentException("~release_after " + releaseAfter + " must be > 0 s");
    }

    /** {@code https}: true, false or auto (HTTPS unless {@code bind} is a loopback address). */
    public static boolean https(String https, String bind) {
        switch (https) {
            case "true": return true;
            case "false": return false;
            case "auto":
                try {
                    return !InetAddress.getByName(bind).isLoopbackAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("~bind '" + bind + "' is not an address of this machine");
                }
            default: throw new IllegalArgumentException("~https '" + https + "' must be true, false or auto");
        }
    }
}
