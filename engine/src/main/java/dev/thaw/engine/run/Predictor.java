package dev.thaw.engine.run;

import dev.thaw.engine.data.DecodedImages;
import dev.thaw.engine.data.ImageFiles;
import dev.thaw.engine.data.SkippedFile;
import dev.thaw.zoo.InputShape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained model ready to classify images in-process, with the run's own preprocessing (DataVec's decoding and
 * resizing to the run's input shape, the backbone's normalization): load it once, then predict images, files or
 * folders. Needs nothing from training.
 *
 * <pre>{@code
 * Predictor predictor = Predictor.load(Path.of("runs/pets"));
 * Prediction p = predictor.predict(Path.of("photo.jpg"));
 * System.out.println(p.label() + " " + p.probability());
 * }</pre>
 */
public final class Predictor {

    /** Images per forward pass when predicting many. */
    public static final int BATCH = 64;

    private final TrainedModel model;

    public Predictor(TrainedModel model) {
        this.model = model;
    }

    /** From a run folder ({@code runs/NAME}) or a model zip Thaw saved. */
    public static Predictor load(Path runOrZip) {
        return new Predictor(TrainedModel.load(runOrZip));
    }

    /** The classes, in the order of {@link Prediction#probabilities()}. */
    public List<String> labels() {
        return model.labels();
    }

    /** The model this predictor runs. */
    public TrainedModel model() {
        return model;
    }

    /** One in-memory image, any size or color type. */
    public Prediction predict(BufferedImage image) {
        return predict(ImageFiles.decode(image, model.input()), List.of("image")).get(0);
    }

    /** One image file. */
    public Prediction predict(Path file) {
        return predictFiles(List.of(file)).get(0);
    }

    /**
     * Every usable image at {@code fileOrFolder} (a folder is searched recursively, in path order); files that are not
     * usable images go to {@code skipped} with the reason.
     */
    public List<Prediction> predictAll(Path fileOrFolder, List<SkippedFile> skipped) {
        return predictFiles(ImageFiles.collect(fileOrFolder, skipped));
    }

    /** These image files, {@link #BATCH} per forward pass. */
    public List<Prediction> predictFiles(List<Path> files) {
        List<Prediction> out = new ArrayList<>(files.size());
        for (int start = 0; start < files.size(); start += BATCH) {
            List<Path> batch = files.subList(start, Math.min(files.size(), start + BATCH));
            out.addAll(predict(ImageFiles.decode(batch, model.input()),
                    batch.stream().map(Path::toString).toList()));
        }
        return out;
    }

    /**
     * Class probabilities of a batch already decoded to the input shape: {@code [N, C, H, W]}, pixel values 0–255
     * (what DataVec's image loaders give); the backbone's normalization is applied to a copy here.
     */
    public INDArray probabilities(INDArray pixels) {
        return model.graph().outputSingle(model.backbone().normalization().applyCopy(pixels));
    }

    private List<Prediction> predict(DecodedImages decoded, List<String> sources) {
        InputShape shape = model.input();
        float[] pixels = new float[decoded.pixels().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = decoded.pixels()[i] & 0xFF;
        }
        INDArray p = probabilities(Nd4j.create(pixels, new long[] {decoded.count(), shape.channels(),
                shape.height(), shape.width()}, 'c'));
        List<Prediction> out = new ArrayList<>(decoded.count());
        for (int i = 0; i < decoded.count(); i++) {
            List<Double> probabilities = new ArrayList<>(labels().size());
            for (int c = 0; c < labels().size(); c++) {
                probabilities.add(p.getDouble(i, c));
            }
            int best = p.getRow(i).argMax().getInt(0);
            out.add(new Prediction(sources.get(i), labels().get(best), probabilities.get(best), probabilities));
        }
        return out;
    }
}
