package dev.thaw.engine.cli;

import dev.thaw.engine.data.DecodedImages;
import dev.thaw.engine.data.ImageFiles;
import dev.thaw.engine.data.SkippedFile;
import dev.thaw.engine.run.TrainedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

    private static final int BATCH = 64;

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

    @Override
    public Integer call() throws IOException {
        TrainedModel model = TrainedModel.load(run);
        List<SkippedFile> skipped = new ArrayList<>();
        List<Path> files = ImageFiles.collect(images, skipped);
        for (SkippedFile s : skipped) {
            spec.commandLine().getErr().println("skipped " + s);
        }
        StringBuilder csv = new StringBuilder("file,label");
        for (String label : model.labels()) {
            csv.append(',').append(quote("p_" + label));
        }
        csv.append('\n');
        for (int start = 0; start < files.size(); start += BATCH) {
            List<Path> batch = files.subList(start, Math.min(files.size(), start + BATCH));
            DecodedImages decoded = ImageFiles.decode(batch, model.input());
            float[] pixels = new float[decoded.pixels().length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = decoded.pixels()[i] & 0xFF;
            }
            INDArray x = Nd4j.create(pixels, new long[] {batch.size(), model.input().channels(),
                    model.input().height(), model.input().width()}, 'c');
            INDArray p = model.graph().outputSingle(model.backbone().normalization().apply(x));
            for (int i = 0; i < batch.size(); i++) {
                int best = p.getRow(i).argMax().getInt(0);
                csv.append(quote(batch.get(i).toString())).append(',').append(quote(model.labels().get(best)));
                for (int c = 0; c < model.labels().size(); c++) {
                    csv.append(String.format(Locale.ROOT, ",%.6f", p.getDouble(i, c)));
                }
                csv.append('\n');
            }
        }
        if (out == null) {
            spec.commandLine().getOut().print(csv);
        } else {
            Files.writeString(out, csv, StandardCharsets.UTF_8);
            spec.commandLine().getOut().printf("%d predictions written to %s%n", files.size(), out);
        }
        return 0;
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
