package dev.thaw.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.InputShape;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDataTest {

    @TempDir
    Path dir;

    /** 12 images of 4×5 pixels, 3 classes; pixel value encodes the image index so placement can be checked. */
    private Path[] writeIdx(boolean gzip) throws IOException {
        Path images = dir.resolve(gzip ? "img.gz" : "img.idx");
        Path labels = dir.resolve(gzip ? "lab.gz" : "lab.idx");
        try (DataOutputStream out = new DataOutputStream(open(images, gzip))) {
            out.writeInt(0x803);
            out.writeInt(12);
            out.writeInt(4);
            out.writeInt(5);
            for (int i = 0; i < 12; i++) {
                for (int p = 0; p < 20; p++) {
                    out.writeByte(i * 10 + p % 3);
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(labels, gzip))) {
            out.writeInt(0x801);
            out.writeInt(12);
            for (int i = 0; i < 12; i++) {
                out.writeByte(i % 3);
            }
        }
        return new Path[] {images, labels};
    }

    private static OutputStream open(Path p, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(p);
        return gzip ? new GZIPOutputStream(raw) : raw;
    }

    @Test
    void readsGzipAndPlainIdx() throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path[] f = writeIdx(gzip);
            Dataset d = DataSource.open("idx:" + f[0] + "," + f[1], false);
            assertEquals(List.of("0", "1", "2"), d.classes());
            assertEquals(12, d.items().size());
            DecodedImages img = d.decoder().decode(d.items().subList(7, 8), new InputShape(1, 4, 5));
            assertEquals(70, img.pixels()[0] & 0xFF);
            assertEquals(1, img.labels()[0]);
        }
    }

    @Test
    void resizesAndConvertsToRgbThroughDataVec() throws IOException {
        Path[] f = writeIdx(true);
        Dataset d = DataSource.open("idx:" + f[0] + "," + f[1], false);
        DecodedImages img = d.decoder().decode(d.items(), InputShape.rgb(8));
        assertEquals(12 * 3 * 8 * 8, img.pixels().length);
        assertEquals(img.pixels()[0], img.pixels()[64], "gray replicated into every channel");
    }

    @Test
    void wrongOrTruncatedFilesAreNamed() throws IOException {
        Path[] f = writeIdx(false);
        DataException e = assertThrows(DataException.class,
                () -> DataSource.open("idx:" + f[1] + "," + f[0], false));
        assertTrue(e.getMessage().startsWith(f[0] + " is not an IDX label file"), e.getMessage());
        byte[] all = Files.readAllBytes(f[0]);
        Files.write(f[0], java.util.Arrays.copyOf(all, 100));
        e = assertThrows(DataException.class, () -> DataSource.open("idx:" + f[0] + "," + f[1], false));
        assertTrue(e.getMessage().contains(f[0] + " is truncated"), e.getMessage());
    }

    @Test
    void bundledFashionMnistLoadsWithoutTheDebianPackage() {
        Dataset d = FashionMnist.bundled();
        assertEquals(10_000, d.items().size());
        assertEquals("T-shirt/top", d.classes().get(0));
        assertEquals("Ankle boot", d.classes().get(9));
        int[] perClass = new int[10];
        d.items().forEach(i -> perClass[i.label()]++);
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
    }

    @Test
    void importWritesAClassFolderDatasetWithTheRealNames() {
        Dataset fm = FashionMnist.bundled();
        Dataset small = new Dataset(fm.name(), fm.classes(), fm.items().subList(0, 60), List.of(), List.of(),
                fm.fingerprint(), fm.decoder());
        Path out = dir.resolve("fmnist");
        assertEquals(60, IdxImport.write(small, out));
        Dataset folder = ImageFolder.scan(out, true);
        assertEquals(fm.classes(), folder.classes(), "classes.txt keeps names and order");
        assertEquals(60, folder.items().size());
        assertTrue(Files.isDirectory(out.resolve("T-shirt-top")));
        // The imported PNG decodes to the very same pixels as the IDX bytes.
        Item first = small.items().get(0);
        Item asFile = folder.items().stream().filter(i -> i.id().endsWith("/0.png")).findFirst().orElseThrow();
        assertArrayEquals(small.decoder().decode(List.of(first), new InputShape(1, 28, 28)).pixels(),
                folder.decoder().decode(List.of(asFile), new InputShape(1, 28, 28)).pixels());
        DataException e = assertThrows(DataException.class, () -> IdxImport.write(small, out));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }
}
