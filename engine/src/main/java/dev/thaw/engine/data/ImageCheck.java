package dev.thaw.engine.data;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether one file is a usable image, and if not, says why in words a user can act on.
 *
 * <p>Runs before training so that a broken file is reported by name up front instead of failing an epoch. Cheap
 * checks come first (hidden, empty, unreadable, extension, magic bytes); then structural end markers, because
 * OpenCV decodes a truncated JPEG or PNG "successfully" with the missing part grey; finally a real decode with
 * DataVec's native image loader, the same decoder training uses.
 */
final class ImageCheck {

    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final GifAwareImageLoader decoder = new GifAwareImageLoader();

    /** @return the reason the file cannot be used, or empty when it is a good image */
    Optional<String> problem(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            return Optional.of("hidden file");
        }
        String ext = extension(name);
        if (!EXTENSIONS.contains(ext)) {
            return Optional.of("not an image file (extension '" + ext + "'; expected png, jpg, jpeg, bmp or gif)");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("unreadable (permission denied)");
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                return Optional.of("empty file (0 bytes)");
            }
            byte[] head = new byte[8];
            byte[] tail = new byte[12];
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                raf.readFully(head, 0, (int) Math.min(head.length, size));
                int t = (int) Math.min(tail.length, size);
                raf.seek(size - t);
                raf.readFully(tail, tail.length - t, t);
            }
            String format = format(head);
            if (format == null) {
                return Optional.of("not an image (content is not PNG, JPEG, BMP or GIF)");
            }
            if (!complete(format, head, tail, size)) {
                return Optional.of("truncated " + format + " (its end marker is missing)");
            }
            if (decoder.asMatrix(file.toFile()).length() == 0) {
                return Optional.of("corrupt " + format + " (decodes to nothing)");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("corrupt image (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String format(byte[] h) {
        if ((h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return "PNG";
        }
        if ((h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8) {
            return "JPEG";
        }
        if (h[0] == 'B' && h[1] == 'M') {
            return "BMP";
        }
        if (h[0] == 'G' && h[1] == 'I' && h[2] == 'F') {
            return "GIF";
        }
        return null;
    }

    /** End markers: PNG's IEND chunk, JPEG's EOI (possibly followed by padding), GIF's trailer; BMP's size field. */
    private static boolean complete(String format, byte[] head, byte[] tail, long size) {
        switch (format) {
            case "BMP":
                long declared = (head[2] & 0xFFL) | (head[3] & 0xFFL) << 8 | (head[4] & 0xFFL) << 16
                        | (head[5] & 0xFFL) << 24;
                return declared <= size;
            case "PNG":
                return tail[4] == 'I' && tail[5] == 'E' && tail[6] == 'N' && tail[7] == 'D';
            case "JPEG":
                for (int i = tail.length - 2; i >= 0; i--) {
                    if ((tail[i] & 0xFF) == 0xFF && (tail[i + 1] & 0xFF) == 0xD9) {
                        return true;
                    }
                }
                return false;
            case "GIF":
                return tail[tail.length - 1] == 0x3B;
            default:
                return true;
        }
    }
}
