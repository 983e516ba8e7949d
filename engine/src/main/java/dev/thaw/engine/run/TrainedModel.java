package dev.thaw.engine.run;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.weights.ThawModelFile;
import dev.thaw.zoo.weights.WeightsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** A model Thaw trained, with what is needed to use it: its backbone (for normalization), input shape and labels. */
public record TrainedModel(ComputationGraph graph, Backbone backbone, InputShape input, List<String> labels,
                           Path file) {

    /** From a run folder ({@code runs/NAME}) or a model zip Thaw saved. */
    public static TrainedModel load(Path runOrZip) {
        Path zip = Files.isDirectory(runOrZip) ? runOrZip.resolve("model.zip") : runOrZip;
        ThawModelFile.Info info = ThawModelFile.readInfo(zip).orElseThrow(() -> new WeightsException(zip
                + " was not saved by Thaw (no labels or backbone inside): pass a run folder or its model.zip"));
        return new TrainedModel(ThawModelFile.restore(zip, false), Backbones.get(info.backbone()),
                InputShape.parse(info.input()), info.labels(), zip);
    }
}
