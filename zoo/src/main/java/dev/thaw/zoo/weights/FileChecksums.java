package dev.thaw.zoo.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Adler32;

/** The two checksums Thaw uses on weight files: DL4J's Adler32 for its zoo downloads, SHA-256 for provenance. */
final class FileChecksums {

    private FileChecksums() {
    }

    /** Adler32 as DL4J's {@code ZooModel.initPretrained} computes it. */
    static long adler32(Path file) {
        Adler32 adler = new Adler32();
        read(file, adler::update);
        return adler.getValue();
    }

    /** Hex SHA-256 of the file's bytes. */
    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        read(file, digest::update);
        return HexFormat.of().formatHex(digest.digest());
    }

    private interface Sink {
        void update(byte[] buffer, int offset, int length);
    }

    private static void read(Path file, Sink sink) {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sink.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
