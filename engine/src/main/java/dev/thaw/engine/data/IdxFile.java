package dev.thaw.engine.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (gzipped or not): {@code idx3-ubyte} image files and
 * {@code idx1-ubyte} label files. Checks magic numbers and sizes so a wrong or truncated file fails with its name.
 */
final class IdxFile {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /** Images as one row-major byte array: image i's pixels are at {@code [i*rows*cols, (i+1)*rows*cols)}. */
    record Images(int count, int rows, int cols, byte[] pixels) {
    }

    private IdxFile() {
    }

    static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + " is not an IDX image file (magic " + Integer.toHexString(magic)
                        + ", expected 803): pass the *-images-idx3-ubyte[.gz] file");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] pixels = new byte[Math.multiplyExact(n, rows * cols)];
            readFully(in, pixels, file);
            return new Images(n, rows, cols, pixels);
        }
    }

    static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + " is not an IDX label file (magic " + Integer.toHexString(magic)
                        + ", expected 801): pass the *-labels-idx1-ubyte[.gz] file");
            }
            byte[] raw = new byte[in.readInt()];
            readFully(in, raw, file);
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        }
    }

    private static void readFully(DataInputStream in, byte[] into, Path file) throws IOException {
        try {
            in.readFully(into);
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is truncated: the header promises " + into.length + " bytes of data", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw);
    }
}
