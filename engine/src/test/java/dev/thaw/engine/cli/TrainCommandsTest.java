package dev.thaw.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.ChildJvm;
import dev.thaw.engine.run.Prediction;
import dev.thaw.engine.run.Predictor;
import dev.thaw.engine.train.Strategy;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The training commands end to end through the CLI, on a tiny folder of PNGs: train, evaluate, predict, resume. */
class TrainCommandsTest {

    @TempDir
    static Path dir;

    static Path data;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Two visually distinct classes (dark stripes vs bright blobs) so a few epochs learn something. */
    @BeforeAll
    static void folder() throws IOException {
        System.setProperty("thaw.cache.dir", dir.resolve("cache").toString());
        data = dir.resolve("data");
        Random r = new Random(1);
        for (String cls : List.of("dark", "bright")) {
            Files.createDirectories(data.resolve(cls));
            for (int i = 0; i < 24; i++) {
                BufferedImage img = new BufferedImage(30, 30, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 30; y++) {
                    for (int x = 0; x < 30; x++) {
                        int base = cls.equals("dark") ? (x % 6 < 3 ? 20 : 90) : 160 + r.nextInt(90);
                        int v = Math.min(255, base + r.nextInt(30));
                        img.setRGB(x, y, new Color(v, v, v).getRGB());
                    }
                }
                ImageIO.write(img, "png", data.resolve(cls).resolve(i + ".png").toFile());
            }
        }
    }

    @AfterAll
    static void clearCacheDir() {
        System.clearProperty("thaw.cache.dir");
    }

    @Test
    void trainThenEvaluateThenPredict() throws IOException {
        Path runs = dir.resolve("runs");
        CliRun train = run("train", "--data", data.toString(), "--input", "1x28x28", "--strategy", "full",
                "--epochs", "3", "--lr", "3e-3", "--val", "0.25", "--test", "0.25", "--runs", runs.toString(),
                "--name", "r1");
        assertEquals(0, train.code(), train.err());
        Path run = runs.resolve("r1");
        for (String f : List.of("config.json", "provenance.json", "labels.txt", "data-report.txt", "metrics.csv",
                "evaluation.json", "model.zip", "checkpoint/last.zip", "checkpoint/state.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " in the run folder");
        }
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header + 3 epochs");
        String provenance = Files.readString(run.resolve("provenance.json"));
        assertTrue(provenance.contains("\"dl4j\" : \"1.0.0-M2.1\"") && provenance.contains("sha256:"), provenance);
        assertTrue(provenance.contains("\"cpu\" : \"" + dev.thaw.engine.run.Provenance.cpu() + "\""), provenance);
        assertTrue(train.out().contains("test: 12 images"), train.out());

        CliRun eval = run("evaluate", run.toString(), "--split", "val");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().startsWith("val: 12 images  accuracy"), eval.out());
        assertTrue(Files.isRegularFile(run.resolve("evaluation-val.json")));

        Files.writeString(data.resolve("dark/notes.txt"), "not an image");
        Path csv = dir.resolve("pred.csv");
        CliRun predict = run("predict", run.toString(), data.resolve("dark").toString(), "--out", csv.toString());
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.err().contains("notes.txt: not an image file"), predict.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("file,label,p_bright,p_dark", rows.get(0));
        assertEquals(25, rows.size());
        double sum = 0;
        for (String p : rows.get(1).split(",", 3)[2].split(",")) {
            sum += Double.parseDouble(p);
        }
        assertEquals(1.0, sum, 1e-4);
        Files.delete(data.resolve("dark/notes.txt"));

        // The same from Java: an in-memory image reads exactly as its file does, and the CLI's rows are the API's
        Predictor predictor = Predictor.load(run);
        Path image = data.resolve("dark/3.png");
        Prediction fromFile = predictor.predict(image);
        Prediction fromMemory = predictor.predict(ImageIO.read(image.toFile()));
        assertEquals(fromFile.label(), fromMemory.label());
        for (int c = 0; c < 2; c++) {
            assertEquals(fromFile.probabilities().get(c), fromMemory.probabilities().get(c), 1e-6);
        }
        List<Prediction> all = predictor.predictAll(data.resolve("dark"), new ArrayList<>());
        assertEquals(24, all.size());
        String row3 = rows.stream().filter(r -> r.startsWith(image.toString() + ",")).findFirst().orElseThrow();
        assertEquals(row3.split(",")[1], fromFile.label());
    }

    @Test
    void messyFolderTrainsWithItsBrokenFilesReportedByName() throws IOException {
        Path messy = dir.resolve("messy");
        for (String cls : List.of("dark", "bright")) {
            Files.createDirectories(messy.resolve(cls));
            try (var files = Files.list(data.resolve(cls))) {
                for (Path p : files.toList()) {
                    Files.copy(p, messy.resolve(cls).resolve(p.getFileName()));
                }
            }
        }
        byte[] png = Files.readAllBytes(messy.resolve("dark/0.png"));
        Files.write(messy.resolve("dark/cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(messy.resolve("bright/readme.jpg"), "text, not a picture");
        Files.createFile(messy.resolve("bright/empty.png"));
        Files.writeString(messy.resolve("dark/.DS_Store"), "x");
        Path runs = dir.resolve("runs-messy");
        CliRun train = run("train", "--data", messy.toString(), "--input", "1x28x28", "--epochs", "1",
                "--runs", runs.toString(), "--name", "m");
        assertEquals(0, train.code(), train.err());
        String report = Files.readString(runs.resolve("m/data-report.txt"));
        for (String expected : List.of("skipped 4 files", "dark/cut.png: truncated PNG", "dark/.DS_Store: hidden file",
                "bright/readme.jpg: not an image", "bright/empty.png: empty file (0 bytes)")) {
            assertTrue(report.contains(expected), expected + " in\n" + report);
            assertTrue(train.out().contains(expected), "printed before training: " + expected);
        }
    }

    @Test
    void runFolderIsNeverOverwrittenAndBadFlagsAreOneLine() {
        Path runs = dir.resolve("runs2");
        assertEquals(0, run("train", "--data", data.toString(), "--input", "1x28x28", "--epochs", "1",
                "--runs", runs.toString(), "--name", "same").code());
        CliRun again = run("train", "--data", data.toString(), "--input", "1x28x28", "--epochs", "1",
                "--runs", runs.toString(), "--name", "same");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists") && again.err().contains("--resume"), again.err());
        CliRun bad = run("train", "--data", data.toString(), "--strategy", "freeze:block9");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown freeze point 'block9'"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    /** A real kill: a separate JVM trains, is killed with SIGKILL after its first checkpoint, and is resumed here. */
    @Test
    void killedTrainingProcessResumesWithoutRedoingOrLosingEpochs() throws Exception {
        Path runs = dir.resolve("runs3");
        Path run = runs.resolve("killed");
        Process child = ChildJvm.of(List.of("-Dthaw.progress=off", "-Dthaw.cache.dir=" + dir.resolve("cache")),
                ThawCli.class, "train", "--data", data.toString(), "--input", "1x28x28", "--strategy", "full",
                "--epochs", "40", "--runs", runs.toString(), "--name", "killed")
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        Path state = run.resolve("checkpoint/state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(state) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(state), "child wrote a checkpoint: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int done = Files.readAllLines(run.resolve("metrics.csv")).size() - 1;
        assertTrue(done >= 1 && done < 40, "killed mid-run after " + done + " epochs");

        CliRun resumed = run("train", "--resume", run.toString());
        assertEquals(0, resumed.code(), resumed.err());
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(41, lines.size(), "header + every epoch once");
        for (int e = 1; e <= 40; e++) {
            assertTrue(lines.get(e).startsWith(e + ","), "epoch " + e + " in order: " + lines.get(e));
        }
        assertTrue(new File(run.resolve("model.zip").toString()).isFile());
    }

    /** Every command's --help states real defaults; freezing random weights is called out, naming --weights. */
    @Test
    void helpHasNoNullDefaultsAndFreezingRandomWeightsIsWarnedAbout() {
        for (String command : List.of("demo", "train", "pretrain", "evaluate", "predict", "featurize", "inspect",
                "scan", "import")) {
            CliRun help = run(command, "--help");
            assertEquals(0, help.code(), command + ": " + help.err());
            assertTrue(!help.out().contains("default: null"), command + " --help: " + help.out());
        }
        CliRun frozenRandom = run("train", "--data", data.toString(), "--input", "1x28x28", "--epochs", "1",
                "--strategy", "freeze:block2", "--runs", dir.resolve("runs-warn").toString());
        assertEquals(0, frozenRandom.code(), frozenRandom.err());
        assertTrue(frozenRandom.out().contains("will never learn") && frozenRandom.out().contains("--weights"),
                frozenRandom.out());
        CliRun fullRandom = run("train", "--data", data.toString(), "--input", "1x28x28", "--epochs", "1",
                "--strategy", "full", "--runs", dir.resolve("runs-warn").toString());
        assertTrue(!fullRandom.out().contains("will never learn"), fullRandom.out());
    }

    /** With --json, standard output is exactly one JSON document (progress on stderr): train, evaluate, predict. */
    @Test
    void jsonOutputIsOneDocumentOnStandardOutput() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Path runs = dir.resolve("runs-json");
        CliRun train = run("train", "--data", data.toString(), "--input", "1x28x28", "--epochs", "2", "--runs",
                runs.toString(), "--name", "j", "--json");
        assertEquals(0, train.code(), train.err());
        JsonNode t = mapper.readTree(train.out()); // fails on anything but one JSON document
        assertEquals(runs.resolve("j").toString(), t.get("run").asText());
        assertEquals(2, t.get("epochs").size());
        assertTrue(t.get("evaluation").get("accuracy").asDouble() >= 0, train.out());
        assertTrue(train.err().contains("completed 2 epochs; model saved to"), "the text goes to stderr: "
                + train.err());

        JsonNode e = mapper.readTree(run("evaluate", runs.resolve("j").toString(), "--json").out());
        assertEquals(t.get("evaluation").get("accuracy").asDouble(), e.get("accuracy").asDouble(), 1e-9);

        JsonNode p = mapper.readTree(run("predict", runs.resolve("j").toString(), data.resolve("dark").toString(),
                "--json").out());
        assertEquals(24, p.get("predictions").size());
        assertEquals(2, p.get("predictions").get(0).get("probabilities").size());

        JsonNode i = mapper.readTree(run("inspect", "--model", "smallcnn", "--json").out());
        assertEquals("smallcnn", i.get("backbone").asText());
        assertTrue(i.get("freezePoints").size() > 2);
    }

    /**
     * A process over its memory limit (JavaCPP's resident-set check; the launcher sets 80 % of RAM, here 200 MB)
     * ends with one line naming --batch and --input and exit 1, not the kernel's OOM killer.
     */
    @Test
    void overTheMemoryLimitTrainEndsWithOneLineNamingBatchAndInput() throws Exception {
        Process train = ChildJvm.of(List.of("-Dorg.bytedeco.javacpp.maxphysicalbytes=200m",
                "-Dthaw.cache.dir=" + dir.resolve("cache")), ThawCli.class, "train", "--data", data.toString(),
                "--input", "1x28x28", "--strategy", "full", "--epochs", "200", "--runs",
                dir.resolve("runs-memory").toString(), "--name", "m").redirectOutput(dir.resolve("memory.log")
                .toFile()).start();
        boolean ended = train.waitFor(120, TimeUnit.SECONDS);
        train.destroyForcibly();
        String output = Files.readString(dir.resolve("memory.log"));
        assertTrue(ended, "ended, not hung (an Error on the prefetch thread used to leave training waiting): "
                + output);
        assertEquals(1, train.exitValue(), output);
        assertTrue(output.contains("thaw: out of memory (Cannot allocate new "), output);
        assertTrue(output.contains("): try a smaller --batch or --input, or raise the limits in THAW_JAVA_OPTS"),
                output);
        assertFalse(output.contains("completed 200 epochs"), output);
    }

    /** SIGTERM to a real `thaw train`: exit 143, every finished epoch in its checkpoint, the resume command shown. */
    @Test
    void sigtermStopsTrainWithItsFinishedEpochsSavedAndTheResumeCommand() throws Exception {
        Path runs = dir.resolve("runs-stop");
        Process train = ChildJvm.of(List.of("-Dthaw.cache.dir=" + dir.resolve("cache")), ThawCli.class, "train",
                "--data", data.toString(), "--input", "1x28x28", "--strategy", "full", "--epochs", "500", "--runs",
                runs.toString(), "--name", "s").start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(train.getInputStream()))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("epoch 3/500")) {
                    train.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
                }
            }
        } finally {
            train.destroyForcibly();
        }
        assertTrue(train.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, train.exitValue(), output.toString());
        assertTrue(output.toString().contains("SIGTERM: stopping once the checkpoint holds every finished epoch"),
                output.toString());
        assertTrue(output.toString().contains("finished epoch(s) in the checkpoint; resume with: thaw train --resume "
                + runs.resolve("s")), output.toString());
        int printed = (int) output.toString().lines().filter(l -> l.startsWith("epoch ")).count();
        int saved = new ObjectMapper().readTree(runs.resolve("s/checkpoint/state.json").toFile())
                .get("completedEpochs").asInt();
        assertEquals(printed, saved, "every epoch it finished is in the checkpoint: " + output);
        assertTrue(saved >= 3 && saved < 500, "stopped early, at " + saved);
    }

    /** A default that cannot learn (a frozen random body) is never chosen; pretrained weights get the measured best. */
    @Test
    void withoutStrategyTrainPicksTwoPhaseFromPretrainedWeightsAndFullFromRandomOnes() throws IOException {
        Path runs = dir.resolve("runs-default");
        CliRun random = run("train", "--data", data.toString(), "--input", "1x28x28", "--epochs", "1", "--runs",
                runs.toString(), "--name", "random");
        assertEquals(0, random.code(), random.err());
        assertTrue(Files.readString(runs.resolve("random/config.json")).contains("\"strategy\" : \"full\""));
        CliRun pretrained = run("train", "--data", data.toString(), "--input", "1x28x28", "--epochs", "1",
                "--weights", "thaw:" + runs.resolve("random/model.zip"), "--runs", runs.toString(), "--name", "pre");
        assertEquals(0, pretrained.code(), pretrained.err());
        assertTrue(Files.readString(runs.resolve("pre/config.json")).contains("\"strategy\" : \"two-phase\""));
        List<String> epochs = Files.readAllLines(runs.resolve("pre/metrics.csv"));
        assertTrue(epochs.get(epochs.size() - 1).startsWith((Strategy.TwoPhase.MAX_HEAD_EPOCHS + 1) + ","),
                "a converged head phase, then the one --epochs epoch of everything: " + epochs);
    }

    @Test
    void versionNamesThawDl4jAndJava() {
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.code(), version.err());
        List<String> lines = version.out().lines().toList();
        assertTrue(lines.size() == 3 && lines.get(0).matches("thaw \\d+\\.\\d+\\.\\d+.*")
                && lines.get(1).startsWith("DL4J 1.0.0-M2.1 (JavaCPP 1.5.7)")
                && lines.get(2).startsWith("Java " + System.getProperty("java.version")), version.out());
    }

    @Test
    void demoRunsEndToEndOnTheBundledSample() {
        CliRun demo = run("demo", "--source-epochs", "1", "--target-epochs", "2", "--per-class", "5",
                "--runs", dir.resolve("demo").toString());
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.out().contains("| head | pretrained 0-4 |"), demo.out());
        assertTrue(demo.out().contains("| freeze:block2 | pretrained 0-4 |"), demo.out());
        assertTrue(demo.out().contains("| scratch (full) | random |"), demo.out());
        assertTrue(demo.out().contains("scratch by"), demo.out());
    }
}
