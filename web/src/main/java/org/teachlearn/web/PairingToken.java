package org.teachlearn.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The secret a browser must present to drive the arm: printed by the node at start, carried in the
 * page's URL (after {@code #}, so it never reaches a server log or a Referer) or typed once.
 * 16 characters of a 32-letter alphabet without look-alikes (80 bits).
 */
public final class PairingToken {

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private final byte[] token;

    private PairingToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh random token. */
    public static PairingToken random() {
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder(16);
        for (int i = 0; i < 16; i++) s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return new PairingToken(s.toString());
    }

    /** A given token (for example {@code ~token}); at least 8 characters of letters, digits, '-' or '_'. */
    public static PairingToken of(String token) {
        if (token.length() < 8 || !token.matches("[A-Za-z0-9_-]+"))
            throw new IllegalArgumentException("~token '" + token + "' must be at least 8 letters, digits, '-' or '_' (leave it empty for a random one)");
        return new PairingToken(token);
    }

    /** Whether {@code presented} is the token, in time that does not depend on where they differ. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The token itself, to print once at start. */
    public String reveal() {
        return new String(token, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PairingToken(****)";
    }
}
