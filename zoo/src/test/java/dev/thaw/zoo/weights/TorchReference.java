package dev.thaw.zoo.weights;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs {@code src/test/python/torchvision_reference.py} with Debian's PyTorch ({@code python3-torch},
 * {@code python3-torchvision}; {@code .ci/run} installs them) and reads what it wrote. Tests that need it are
 * skipped, saying why, on a machine without PyTorch.
 */
final class TorchReference {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/torchvision_reference.py");

    final Path dir;
    final StateDict expected;

    private TorchReference(Path dir) {
        this.dir = dir;
        this.expected = StateDict.read(dir.resolve("expected.pth"));
    }

    /** The reference files for a model at a size, generated into {@code dir}. */
    static TorchReference generate(String model, int size, int batch, Path dir)
            throws IOException, InterruptedException {
        assumeTrue(torchAvailable(),
                "PyTorch (python3-torch, python3-torchvision) is not installed: .ci/run installs it");
        Process p = new ProcessBuilder(List.of(PYTHON.toString(), SCRIPT.toString(), "--model", model, "--size",
                String.valueOf(size), "--batch", String.valueOf(batch), "--out", dir.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("reference script failed: " + out);
        }
        return new TorchReference(dir);
    }

    static boolean torchAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, torchvision").start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    INDArray array(String key) {
        StateDict.Tensor t = expected.tensors().get(key);
        if (t == null) {
            throw new IllegalArgumentException("no '" + key + "' in the reference: " + expected.tensors().keySet());
        }
        return Nd4j.create(t.values(), t.shape(), 'c');
    }

    /** How far PyTorch's float32 result for {@code key} is from the float64 reference (0 when not recorded). */
    double err32(String key) {
        StateDict.Tensor t = expected.tensors().get("err32." + key);
        return t == null ? 0 : t.values()[0];
    }

    /** max |a - b| / max |b|: the error relative to the reference's own scale. */
    static double relativeDifference(INDArray actual, INDArray reference) {
        INDArray a = actual.castTo(reference.dataType()).reshape(reference.shape());
        double scale = reference.amaxNumber().doubleValue();
        return a.sub(reference).amaxNumber().doubleValue() / Math.max(scale, 1e-30);
    }
}
