package dev.thaw.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Same images, same numbers: Thaw's pipeline turns Fashion-MNIST images into what the PyTorch peer of the transfer
 * benchmark feeds its network (x/255, bilinear resize to 32 px, gray to 3 channels, ImageNet mean/std), within one
 * gray level — Thaw resizes with OpenCV and keeps 8-bit pixels, PyTorch resizes in float. The reference comes from
 * PyTorch itself ({@code src/test/python/pipeline_reference.py}); skipped, saying why, without it.
 */
class PipelineParityTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** One gray level in ImageNet-normalized units (the smallest channel std, 0.224). */
    private static final double GRAY_LEVEL = 1 / 255.0 / 0.224;

    @TempDir
    Path dir;

    @Test
    void thawsInputIsPyTorchsWithinOneGrayLevel() throws Exception {
        assumeTrue(torchAvailable(), "PyTorch (python3-torch) is not installed: .ci/run installs it");
        Dataset fm = FashionMnist.bundled();
        List<Item> items = fm.items().subList(0, 64);
        Dataset subset = new Dataset(fm.name(), fm.classes(), items, List.of(), List.of(), fm.fingerprint() + "/64",
                fm.decoder());
        DataSplits splits = Splitter.split(subset, new SplitPlan(1, 0, 0, 0, ""));
        InputShape shape = InputShape.rgb(32);
        DataPipeline pipeline = new DataPipeline(splits, shape, Normalization.IMAGENET_MEAN_STD,
                PipelineOptions.DEFAULT, new DecodeCache(null, 1 << 26));

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        List<Item> order = splits.get(Split.TRAIN);
        for (Item i : order) {
            raw.write(IdxDataset.pixelsOf(fm, i));
        }
        Path images = Files.write(dir.resolve("images.u8"), raw.toByteArray());
        Path ref = dir.resolve("ref.f32");
        Process p = new ProcessBuilder(PYTHON.toString(), "src/test/python/pipeline_reference.py", "--images",
                images.toString(), "--count", String.valueOf(order.size()), "--size", "32", "--out", ref.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, "reference script failed: " + out);
        ByteBuffer expected = ByteBuffer.wrap(Files.readAllBytes(ref)).order(ByteOrder.LITTLE_ENDIAN);

        DataSetIterator it = pipeline.evaluation(Split.TRAIN);
        double worst = 0;
        double sum = 0;
        long n = 0;
        while (it.hasNext()) {
            DataSet batch = it.next();
            for (float v : batch.getFeatures().dup('c').data().asFloat()) {
                double d = Math.abs(v - expected.getFloat());
                worst = Math.max(worst, d);
                sum += d;
                n++;
            }
        }
        assertEquals(order.size() * 3L * 32 * 32, n, "every value compared");
        System.out.printf("pipeline vs PyTorch at 32 px: max |diff| %.4f, mean %.5f (one gray level %.4f)%n", worst,
                sum / n, GRAY_LEVEL);
        assertTrue(worst <= GRAY_LEVEL, "max difference " + worst + " exceeds one gray level");
        assertTrue(sum / n <= GRAY_LEVEL / 4, "mean difference " + sum / n);
    }

    private static boolean torchAvailable() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
