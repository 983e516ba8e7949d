package dev.thaw.engine.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 digests behind Thaw's fingerprints and cache keys. */
public final class Sha256 {

    private Sha256() {
    }

    /** A fresh digest; every JVM has SHA-256, so its absence is a broken runtime, not a user error. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code chars} hex digits of the digest. */
    public static String hex(MessageDigest md, int chars) {
        return HexFormat.of().formatHex(md.digest()).substring(0, chars);
    }

    /** The first {@code chars} hex digits of the SHA-256 of a string's UTF-8 bytes. */
    public static String hex(String text, int chars) {
        MessageDigest md = digest();
        md.update(text.getBytes(StandardCharsets.UTF_8));
        return hex(md, chars);
    }
}
