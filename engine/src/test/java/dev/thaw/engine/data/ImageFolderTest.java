package dev.thaw.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A messy real-world folder: every kind of bad file is skipped and reported by name, the good ones train. */
class ImageFolderTest {

    @TempDir
    Path root;

    @BeforeEach
    void messyFolder() throws IOException {
        Path cat = root.resolve("cat");
        Path dog = root.resolve("dog");
        TestImages.pngs(cat, 4, 1);
        TestImages.write(cat.resolve("gray.jpg"), "jpg", BufferedImage.TYPE_BYTE_GRAY, 50, 30, 2);
        TestImages.write(cat.resolve("alpha.png"), "png", BufferedImage.TYPE_INT_ARGB, 20, 64, 3);
        TestImages.pngs(dog, 4, 10);
        TestImages.write(dog.resolve("old.bmp"), "bmp", BufferedImage.TYPE_INT_RGB, 33, 33, 4);
        TestImages.write(dog.resolve("anim.gif"), "gif", BufferedImage.TYPE_INT_RGB, 16, 16, 5);
        TestImages.truncatedJpeg(dog.resolve("broken.jpg"));
        Files.writeString(cat.resolve("notes.png"), "this is text, not a picture");
        Files.createFile(cat.resolve("empty.jpg"));
        Files.writeString(cat.resolve(".DS_Store"), "mac metadata");
        Files.writeString(dog.resolve("labels.csv"), "a,b");
        Files.createDirectories(root.resolve("bird"));
        Files.writeString(root.resolve("README.txt"), "stray file at the top");
    }

    @Test
    void scanSkipsAndReportsEveryBadFileByName() {
        Dataset d = ImageFolder.scan(root, false);
        assertEquals(List.of("cat", "dog"), d.classes());
        assertEquals(12, d.items().size());
        String skipped = d.skipped().stream()
                .map(s -> root.relativize(s.file()) + ": " + s.reason())
                .collect(Collectors.joining("\n"));
        assertEquals(String.join("\n",
                "README.txt: not inside a class folder",
                "cat/.DS_Store: hidden file",
                "cat/empty.jpg: empty file (0 bytes)",
                "cat/notes.png: not an image (content is not PNG, JPEG, BMP or GIF)",
                "dog/broken.jpg: truncated JPEG (its end marker is missing)",
                "dog/labels.csv: not an image file (extension 'csv'; expected png, jpg, jpeg, bmp or gif)"), skipped);
        assertEquals(List.of("class folder 'bird' has no usable images: left out"), d.notes());
    }

    @Test
    void reportListsCountsAndSkippedFiles() {
        DataSplits s = Splitter.split(ImageFolder.scan(root, false), new SplitPlan(1, 0.2, 0.2, 0, ""));
        String report = DataReport.render(s);
        assertTrue(report.contains("skipped 6 files: 1 not inside a class folder, 1 hidden file, 1 empty file, "
                + "1 not an image, 1 truncated JPEG, 1 not an image file"), report);
        assertTrue(report.contains("dog/broken.jpg: truncated JPEG"), report);
        assertTrue(report.contains("note: class folder 'bird' has no usable images"), report);
        assertTrue(report.matches("(?s).*cat\\s+4\\s+1\\s+1.*"), report);
        assertTrue(report.matches("(?s).*dog\\s+4\\s+1\\s+1.*"), report);
    }

    @Test
    void strictFailsBeforeTrainingNamingTheFirstBadFile() {
        DataException e = assertThrows(DataException.class, () -> ImageFolder.scan(root, true));
        assertTrue(e.getMessage().startsWith("--strict: " + root.resolve("README.txt")
                + ": not inside a class folder (6 bad files in all"), e.getMessage());
    }

    @Test
    void mixedFormatsSizesAndColourModelsAllBecomeTheInputShape() {
        DataSplits s = Splitter.split(ImageFolder.scan(root, false), new SplitPlan(1, 0, 0, 0, ""));
        DataPipeline pipeline = new DataPipeline(s, InputShape.rgb(32), Normalization.UNIT,
                PipelineOptions.DEFAULT.withBatchSize(3), new DecodeCache(null, 1 << 24));
        DataSetIterator it = pipeline.evaluation(Split.TRAIN);
        int seen = 0;
        while (it.hasNext()) {
            DataSet b = it.next();
            assertEquals(3, b.getFeatures().size(1));
            assertEquals(32, b.getFeatures().size(2));
            assertEquals(32, b.getFeatures().size(3));
            assertTrue(b.getFeatures().maxNumber().doubleValue() <= 1.0);
            seen += b.numExamples();
        }
        assertEquals(12, seen);
    }

    @Test
    void oneLineErrorsForUnusableFolders() throws IOException {
        assertMessage(() -> ImageFolder.scan(root.resolve("nope"), false), "does not exist");
        Path empty = Files.createDirectories(root.resolve("empty-root"));
        assertMessage(() -> ImageFolder.scan(empty, false), "has no class subfolders");
        assertMessage(() -> ImageFolder.scan(root.resolve("README.txt"), false), "is a file, not a folder");
        Path single = root.resolve("single");
        TestImages.pngs(single.resolve("only"), 5, 1);
        assertMessage(() -> Splitter.split(ImageFolder.scan(single, false), SplitPlan.DEFAULT),
                "only one class (only)");
        assertMessage(() -> Splitter.split(ImageFolder.scan(root, false), new SplitPlan(1, 0.2, 0.2, 0, "")
                .withPerClass(50)), "--per-class 50 but class 'cat' has only 4 training images");
        Path tiny = root.resolve("tiny");
        TestImages.pngs(tiny.resolve("a"), 5, 1);
        TestImages.pngs(tiny.resolve("b"), 2, 1);
        assertMessage(() -> Splitter.split(ImageFolder.scan(tiny, false), SplitPlan.DEFAULT),
                "class 'b' has 2 usable training images");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        DataException e = assertThrows(DataException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }
}
