package org.teachlearn.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The HTTPS server's certificate: made once by the JDK's own {@code keytool} (EC P-256, valid 825
 * days, for localhost, this host's name and its IPv4 addresses) and kept in {@code dir} with its
 * random store password, both readable by the owner only. The browser warns about it once per
 * headset; its SHA-256 fingerprint is logged so the operator can compare it with the one the
 * browser shows before accepting.
 */
public final class SelfSignedCertificate {

    public static final String STORE = "vr_web.p12", PASSWORD = "vr_web.password", ALIAS = "vr_web";

    private final Path store;
    private final String password;
    private final boolean created;

    private SelfSignedCertificate(Path store, String password, boolean created) {
        this.store = store;
        this.password = password;
        this.created = created;
    }

    /** The certificate in {@code dir}, made there first if missing. */
    public static SelfSignedCertificate inDirectory(Path dir) throws IOException {
        Path store = dir.resolve(STORE), passwordFile = dir.resolve(PASSWORD);
        if (Files.exists(store) && Files.exists(passwordFile))
            return new SelfSignedCertificate(store, Files.readString(passwordFile, StandardCharsets.UTF_8).trim(), false);
        Files.createDirectories(dir);
        ownerOnly(dir, "rwx------");
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        ownerOnly(passwordFile, "rw-------");
        Files.deleteIfExists(store);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool))
            throw new IOException("no keytool in " + keytool.getParent() + " to make the HTTPS certificate: run with a full JDK or JRE, or set ~https:=false and ~bind:=127.0.0.1");
        List<String> cmd = List.of(keytool.toString(), "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", password, "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-validity", "825", "-dname", "CN=teach_learn vr_web", "-ext", "SAN=" + subjectAltNames(), "-ext", "EKU=serverAuth");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IOException("keytool could not make the HTTPS certificate in " + dir + ": " + out.trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the HTTPS certificate", e);
        }
        ownerOnly(store, "rw-------");
        return new SelfSignedCertificate(store, password, true);
    }

    public Path store() {
        return store;
    }

    public String password() {
        return password;
    }

    /** Whether this start made it (so every headset must accept it anew). */
    public boolean created() {
        return created;
    }

    /** SHA-256 of the certificate, as browsers show it (AB:CD:...). */
    public String fingerprint() throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            Certificate cert = ks.getCertificate(ALIAS);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the HTTPS certificate " + store + " (delete it and its password file to make a new one): " + e.getMessage(), e);
        }
    }

    /** localhost, this host's name and every IPv4 address of this machine's interfaces that are up. */
    static String subjectAltNames() throws IOException {
        List<String> names = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1"));
        String host = InetAddress.getLocalHost().getHostName();
        if (host.matches("[A-Za-z0-9.-]+") && !host.equals("localhost")) names.add("dns:" + host);
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses()))
                if (a instanceof Inet4Address) names.add("ip:" + a.getHostAddress());
        }
        return String.join(",", names);
    }

    private static void ownerOnly(Path path, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
    }
}
