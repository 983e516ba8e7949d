package dev.thaw.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.Prediction;
import dev.thaw.engine.run.Predictor;
import dev.thaw.engine.run.RunResult;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.EpochMetrics;
import dev.thaw.engine.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Using Thaw from Java" examples, compiled and run. Each {@code java} block of that section must appear,
 * line for line, between a {@code // README} and a {@code // README end} comment below, in the same order: the
 * page and the code cannot drift apart.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("../README.md");
    private static final Path SELF = Path.of("src/test/java/dev/thaw/tuning/ReadmeExamplesTest.java");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void capture() {
        System.setProperty("thaw.cache.dir", dir.resolve("cache").toString());
        stdout = System.out;
        System.setOut(new PrintStream(printed, true));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.clearProperty("thaw.cache.dir");
    }

    @Test
    void theReadmeShowsExactlyTheseExamples() throws IOException {
        String section = Files.readString(README).split("### Using Thaw from Java", 2)[1].split("\n### ", 2)[0];
        List<String> readme = blocks(Pattern.compile("```java\n(.*?)```", Pattern.DOTALL), section);
        List<String> here = blocks(Pattern.compile("// README\n(.*?)\\s*// README end", Pattern.DOTALL),
                Files.readString(SELF)).stream().map(ReadmeExamplesTest::dedent).toList();
        assertEquals(4, here.size());
        assertEquals(here, readme, "README's Java examples differ from ReadmeExamplesTest's: change both");
    }

    @Test
    void trainPredictSweepAndAutoAsTheReadmeShows() throws IOException {
        Path runs = dir.resolve("runs");
        Path sweeps = dir.resolve("sweeps");
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            img.setRGB(5 + i, 5, 0xFFFFFF);
            ImageIO.write(img, "png", photos.resolve(i + ".png").toFile());
        }

        // README
        TrainConfig config = TrainConfig.builder()
                .data("fashion-mnist-sample").split(new SplitPlan(42, 0.15, 0.15, 100, "5-9"))
                .model("smallcnn").epochs(3).name("shoes").build();
        TrainingListener mine = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics m) {
                System.out.printf("my listener: epoch %d, validation accuracy %.3f%n", m.epoch() + 1, m.valAccuracy());
            }
        };
        RunResult result = FineTune.run(config, runs, new PrintWriter(System.out, true), List.of(mine));
        System.out.println(result.evaluation().render());
        // README end

        assertEquals("full", config.strategy(), "random weights: train's default");
        assertTrue(result.evaluation().accuracy() > 0.5, "5 classes, chance 0.2: " + result.evaluation().accuracy());
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertTrue(printed.toString().contains("my listener: epoch " + epoch + ","), printed.toString());
        }

        // README
        Predictor predictor = Predictor.load(runs.resolve("shoes"));
        for (Prediction p : predictor.predictAll(photos, new ArrayList<>())) {
            System.out.printf("%s: %s (%.2f)%n", p.source(), p.label(), p.probability());
        }
        // README end

        assertTrue(printed.toString().contains(photos.resolve("2.png") + ": "), printed.toString());

        // README
        TrainConfig clothes = config.toBuilder().weights("thaw:" + runs.resolve("shoes/model.zip"))
                .split(new SplitPlan(42, 0.15, 0.15, 20, "0-4")).build();
        SweepSpec spec = SweepSpec.grid(List.of("full", "block3", "head"), 1e-3, 1e-2, 2, 2);
        Sweep.Outcome outcome = Sweep.run(spec, clothes, sweeps.resolve("clothes"), new PrintWriter(System.out, true));
        System.out.println(outcome.best().orElseThrow());
        // README end

        assertEquals(6, outcome.records().size());
        assertTrue(Files.isRegularFile(sweeps.resolve("clothes/best/evaluation.json")));

        // README
        Auto.Outcome answer = Auto.run(clothes, 45, sweeps.resolve("auto"), new PrintWriter(System.out, true));
        System.out.println(answer.best().orElseThrow().strategy() + " at " + answer.best().orElseThrow().lr());
        // README end

        assertTrue(answer.seconds() <= 45 * 1.1, printed.toString());
        assertTrue(Files.isRegularFile(sweeps.resolve("auto/best/model.zip")));
    }

    private static List<String> blocks(Pattern p, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(1).stripTrailing());
        }
        return found;
    }

    /** The block as it would read at the left margin (the test's copy sits inside a method). */
    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }
}
