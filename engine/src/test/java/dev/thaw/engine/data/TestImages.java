package dev.thaw.engine.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Writes small real image files for data tests: every format and colour model a user folder may hold. */
final class TestImages {

    private TestImages() {
    }

    static Path write(Path file, String format, int type, int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 255).getRGB());
            }
        }
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, bytes)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        Files.write(file, bytes.toByteArray());
        return file;
    }

    static Path png(Path file, long seed) throws IOException {
        return write(file, "png", BufferedImage.TYPE_INT_RGB, 40, 36, seed);
    }

    /** A class folder of {@code n} RGB PNGs. */
    static void pngs(Path dir, int n, long seed) throws IOException {
        for (int i = 0; i < n; i++) {
            png(dir.resolve(String.format("img%03d.png", i)), seed + i);
        }
    }

    /** The first half of a real JPEG: what an interrupted copy leaves behind. */
    static Path truncatedJpeg(Path file) throws IOException {
        write(file, "jpg", BufferedImage.TYPE_INT_RGB, 64, 64, 5);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        return file;
    }
}
