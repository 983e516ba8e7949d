package dev.thaw.engine.cli;

import dev.thaw.engine.data.SkippedFile;
import dev.thaw.engine.run.Prediction;
import dev.thaw.engine.run.Predictor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thaw predict}: label and class probabilities for an image or a folder of images, as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images with a trained run: one CSV row per image with the predicted label and "
                + "every class's probability. Unusable files are listed on stderr and left out."},
        footer = {"", "Examples:", "  predict runs/pets photo.jpg", "  predict runs/pets ~/inbox --out predictions.csv"})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder (or a Thaw model.zip).")
    Path run;

    @Parameters(index = "1", paramLabel = "IMAGES", description = "An image file or a folder of images.")
    Path images;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the CSV here (default: standard output).")
    Path out;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() throws IOException {
        Predictor predictor = Predictor.load(run);
        List<SkippedFile> skipped = new ArrayList<>();
        List<Prediction> predictions = predictor.predictAll(images, skipped);
        for (SkippedFile s : skipped) {
            spec.commandLine().getErr().println("skipped " + s);
        }
        if (json.on()) {
            json.print(spec, () -> Map.of("labels", predictor.labels(), "predictions", predictions,
                    "skipped", skipped.stream().map(SkippedFile::toString).toList()));
            return 0;
        }
        StringBuilder csv = new StringBuilder("file,label");
        for (String label : predictor.labels()) {
            csv.append(',').append(quote("p_" + label));
        }
        csv.append('\n');
        for (Prediction p : predictions) {
            csv.append(quote(p.source())).append(',').append(quote(p.label()));
            for (double probability : p.probabilities()) {
                csv.append(String.format(Locale.ROOT, ",%.6f", probability));
            }
            csv.append('\n');
        }
        if (out == null) {
            spec.commandLine().getOut().print(csv);
        } else {
            Files.writeString(out, csv, StandardCharsets.UTF_8);
            spec.commandLine().getOut().printf("%d predictions written to %s%n", predictions.size(), out);
        }
        return 0;
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
