package dev.thaw.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.cli.ThawCli;
import dev.thaw.engine.train.FeatureCache;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** {@code featurize --spark} and {@code train --spark} in {@code local[2]}, against the same commands run locally. */
class SparkTrainAndFeaturizeTest {

    @TempDir
    static Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("thaw.cache.dir");
    }

    private static String thaw(String cache, String... args) {
        System.setProperty("thaw.cache.dir", dir.resolve(cache).toString());
        StringWriter out = new StringWriter();
        int code = ThawCli.run(args, new PrintWriter(out, true), new PrintWriter(out, true));
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    @Test
    void featuresComputedSliceBySliceOnSparkEqualTheLocalOnesUnderTheSameKeys() throws Exception {
        String[] job = {"featurize", "--model", "smallcnn", "--freeze", "block2", "--data", "fashion-mnist-sample",
                "--classes", "0-2", "--per-class", "200", "--val", "0.1", "--test", "0.1"};
        String local = thaw("cache-local", job);
        String spark = thaw("cache-spark", Stream.concat(Stream.of(job), Stream.of("--spark", "local[2]"))
                .toArray(String[]::new));
        assertTrue(spark.contains("train featurized on Spark: 600 images in 4 slices"), spark);
        List<Path> expected = entries(dir.resolve("cache-local/features"));
        List<Path> actual = entries(dir.resolve("cache-spark/features"));
        assertEquals(3, expected.size(), local);
        assertEquals(expected.stream().map(Path::getFileName).toList(), actual.stream().map(Path::getFileName)
                .toList(), "the same keys: training finds the Spark-computed entries");
        for (int i = 0; i < expected.size(); i++) {
            DataSet e = load(expected.get(i));
            DataSet a = load(actual.get(i));
            assertArrayEquals(e.getFeatures().shape(), a.getFeatures().shape());
            assertEquals(e.getLabels(), a.getLabels(), "labels in the same order");
            assertTrue(e.getFeatures().equalsWithEps(a.getFeatures(), 1e-5), expected.get(i).getFileName()
                    + ": max difference " + e.getFeatures().sub(a.getFeatures()).amaxNumber());
        }
        assertTrue(spark.contains("3 computed, 0 already cached"), spark);
        String again = thaw("cache-spark", Stream.concat(Stream.of(job), Stream.of("--spark", "local[2]"))
                .toArray(String[]::new));
        assertTrue(again.contains("0 computed, 3 already cached"), again);
    }

    @Test
    void aFreezeRunTrainedOnSparkKeepsItsFrozenLayersBitForBitAndLowersTheLoss() throws Exception {
        String[] data = {"--data", "fashion-mnist-sample", "--per-class", "40", "--val", "0.1", "--test", "0.1",
                "--batch", "16", "--seed", "3"};
        List<String> pretrain = new ArrayList<>(List.of("train", "--runs", dir.resolve("runs").toString(), "--name",
                "source", "--classes", "0-2", "--strategy", "full", "--epochs", "1", "--no-stats"));
        pretrain.addAll(List.of(data));
        thaw("cache-train", pretrain.toArray(String[]::new));
        Path source = dir.resolve("runs/source/model.zip");

        // no feature cache: the frozen layers are in the graph Spark's workers train and average
        List<String> train = new ArrayList<>(List.of("train", "--runs", dir.resolve("runs").toString(), "--name",
                "spark", "--classes", "3-5", "--weights", "thaw:" + source, "--strategy", "freeze:block2",
                "--no-feature-cache", "--epochs", "4", "--lr", "1e-3", "--spark", "local[2]"));
        train.addAll(List.of(data));
        String out = thaw("cache-train", train.toArray(String[]::new));

        ComputationGraph before = ComputationGraph.load(source.toFile(), false);
        ComputationGraph after = ComputationGraph.load(dir.resolve("runs/spark/model.zip").toFile(), false);
        for (String frozen : List.of("block1_conv", "block1_bn", "block2_conv", "block2_bn")) {
            assertEquals(before.getLayer(frozen).params(), after.getLayer(frozen).params(), frozen + " is frozen");
        }
        assertNotEquals(before.getLayer("block3_conv").params(), after.getLayer("block3_conv").params(),
                "block3 trains");
        List<String> metrics = Files.readAllLines(dir.resolve("runs/spark/metrics.csv"));
        assertEquals(5, metrics.size(), out);
        double first = loss(metrics.get(1));
        double last = loss(metrics.get(4));
        assertTrue(last < first, "loss " + first + " -> " + last + "\n" + out);
        assertTrue(Files.isRegularFile(dir.resolve("runs/spark/evaluation.json")), out);
        // the workers' steps are not seen here: no empty stats file that the UI would show as a run without data
        assertTrue(out.contains("training statistics: not recorded (the steps run on the cluster's executors"), out);
        assertTrue(!Files.exists(dir.resolve("runs/spark/stats.db")), "no stats.db");

        // the peer: the same run trained here, one minibatch after the other
        List<String> local = new ArrayList<>(train);
        int sparkOption = local.indexOf("--spark");
        local.subList(sparkOption, sparkOption + 2).clear(); // was train minus its last two: --seed 3, not --spark
        local.set(local.indexOf("spark"), "local");
        String localOut = thaw("cache-train", local.toArray(String[]::new));
        assertTrue(!localOut.contains("spark: "), "trained here, not on Spark: " + localOut);
        assertTrue(Files.isRegularFile(dir.resolve("runs/local/stats.db")), "recorded here: " + localOut);
        double sparkAccuracy = accuracy(dir.resolve("runs/spark"));
        double localAccuracy = accuracy(dir.resolve("runs/local"));
        assertTrue(Math.abs(sparkAccuracy - localAccuracy) <= 0.1, "test accuracy on Spark " + sparkAccuracy
                + ", here " + localAccuracy);
    }

    /** A run trained on Spark goes on from its checkpoint on Spark, as {@code sweep}'s promotions extend runs. */
    @Test
    void aSparkRunResumesFromItsCheckpointOnSpark() throws Exception {
        Path run = dir.resolve("runs/resumed");
        thaw("cache-resume", "train", "--runs", dir.resolve("runs").toString(), "--name", "resumed", "--data",
                "fashion-mnist-sample", "--classes", "0-2", "--per-class", "20", "--val", "0.1", "--test", "0.1",
                "--batch", "16", "--epochs", "1", "--strategy", "freeze:block2", "--no-feature-cache", "--no-stats",
                "--spark", "local[2]");
        ComputationGraph first = ComputationGraph.load(run.resolve("model.zip").toFile(), false);
        var json = new org.nd4j.shade.jackson.databind.ObjectMapper();
        var config = (org.nd4j.shade.jackson.databind.node.ObjectNode) json.readTree(run.resolve("config.json").toFile());
        config.put("epochs", 2); // what FineTune.extend does to a promoted sweep candidate
        json.writeValue(run.resolve("config.json").toFile(), config);

        String out = thaw("cache-resume", "train", "--resume", run.toString(), "--spark", "local[2]", "--ui",
                "--ui-port", "0");
        assertTrue(out.contains("resuming " + run + " after epoch 1 of 2"), out);
        assertTrue(out.contains("warning: --ui is ignored with --spark: the steps run on Spark's executors"), out);
        assertTrue(!out.contains("training UI: "), "no server for an empty page: " + out);
        assertEquals(3, Files.readAllLines(run.resolve("metrics.csv")).size(), out);
        ComputationGraph second = ComputationGraph.load(run.resolve("model.zip").toFile(), false);
        assertEquals(first.getLayer("block1_conv").params(), second.getLayer("block1_conv").params(), "frozen");
        assertNotEquals(first.getLayer("block3_conv").params(), second.getLayer("block3_conv").params(),
                "trained on in the second epoch");
    }

    private static double accuracy(Path run) throws Exception {
        return new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(run.resolve("evaluation.json").toFile())
                .get("accuracy").asDouble();
    }

    private static double loss(String csvLine) {
        return Double.parseDouble(csvLine.split(",")[1]);
    }

    private static List<Path> entries(Path features) throws Exception {
        try (Stream<Path> files = Files.list(features)) {
            return files.filter(p -> p.getFileName().toString().startsWith(FeatureCache.PREFIX)).sorted().toList();
        }
    }

    private static DataSet load(Path file) {
        DataSet d = new DataSet();
        d.load(file.toFile());
        return d;
    }
}
