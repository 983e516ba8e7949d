package dev.thaw.benchmarks;

import dev.thaw.engine.run.Predictor;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.weights.ThawModelFile;
import dev.thaw.zoo.weights.WeightSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Question: how fast does a trained run classify images in-process through {@link Predictor} — the latency of one
 * image, and the throughput of a folder? One operation is {@code batch} PNG files of 96×96 random-noise images
 * predicted end to end: read and decoded through DataVec, resized to the model's input, normalized, one forward pass
 * (of {@code batch} images), probabilities out. {@code batch} = 1 is a single-image request ({@code predict(Path)});
 * 64 is {@link Predictor#BATCH}, how {@code predictAll} walks a folder. Weights are random (speed does not depend on
 * them); 5 classes. Expected: the ResNet50 forward dominates at 64 px, decoding at smallcnn's 28 px.
 *
 * <p>Run: {@code mvn -q compile exec:exec@jmh -Djmh.args="Predict -rf json -rff predict.json"}, then
 * {@code -Dbench=JmhReport -Dbench.args="predict.json predict.md"} for images/s and memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PredictBenchmark {

    @Param({"smallcnn:1x28x28", "resnet50:3x64x64"})
    String model;

    @Param({"1", "64"})
    int batch;

    private Path dir;
    private Predictor predictor;
    private final List<Path> files = new ArrayList<>();

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        dir = Files.createTempDirectory("thaw-predict-bench");
        String[] parts = model.split(":");
        Backbone backbone = Backbones.get(parts[0]);
        InputShape shape = InputShape.parse(parts[1]);
        Path zip = dir.resolve("model.zip");
        ThawModelFile.save(WeightSource.parse("random").load(backbone, shape, 5, 1).graph(),
                new ThawModelFile.Info(backbone.name(), shape.toString(), List.of("a", "b", "c", "d", "e"), Map.of()),
                zip, false);
        predictor = Predictor.load(zip);
        Random r = new Random(1);
        for (int i = 0; i < batch; i++) {
            BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 96; x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            Path f = dir.resolve(i + ".png");
            ImageIO.write(img, "png", f.toFile());
            files.add(f);
        }
    }

    @TearDown(Level.Trial)
    public void clean() throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {@code batch} image files to labels with probabilities. */
    @Benchmark
    public void predictFiles(Blackhole bh) {
        bh.consume(predictor.predictFiles(files));
    }
}
