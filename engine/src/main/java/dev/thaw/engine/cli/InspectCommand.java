package dev.thaw.engine.cli;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.FreezeTable;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.weights.LoadedModel;
import dev.thaw.zoo.weights.WeightSource;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw inspect}: a backbone's freeze points with parameter counts, to decide how much to freeze. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Print a backbone's freeze points with total, frozen and trainable parameters per depth.",
                "Without --model, list the backbones."},
        footer = {"", "Examples:", "  inspect", "  inspect --model resnet50 --input 3x64x64",
                "  inspect --model vgg16 --input 32 --classes 5"})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = {"-m", "--model"}, paramLabel = "NAME", description = "Backbone: ${COMPLETION-CANDIDATES}.",
            completionCandidates = BackboneNames.class)
    String model;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "Input shape, e.g. 3x64x64 or 64 (default: the backbone's native size).")
    String input;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "10",
            description = "Classes of the output layer, which sets the head's size (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--weights", paramLabel = "SOURCE", defaultValue = "random",
            description = "random, imagenet, PATH.zip, PATH.h5 or thaw:PATH (default: ${DEFAULT-VALUE}).")
    String weights;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() {
        PrintWriter out = json.text(spec);
        if (model == null) {
            out.println("Backbones (thaw inspect --model NAME for freeze points):");
            for (Backbone b : Backbones.all()) {
                out.printf("  %-9s native %-9s  %s%n", b.name(), b.nativeInput(), b.description());
            }
            json.print(spec, () -> Backbones.all().stream().map(b -> Map.of("name", b.name(), "nativeInput",
                    b.nativeInput().toString(), "description", b.description())).toList());
            return 0;
        }
        if (classes < 2) {
            throw new IllegalArgumentException("--classes must be at least 2, got " + classes);
        }
        Backbone backbone = Backbones.get(model);
        InputShape shape = input == null ? backbone.nativeInput() : InputShape.parse(input);
        LoadedModel loaded = WeightSource.parse(weights).load(backbone, shape, classes, 42);
        out.printf("%s: %s%n", backbone.name(), backbone.description());
        out.printf("input normalization: %s; weights: %s%n", backbone.normalization().formula(), loaded.source());
        if (!loaded.reinitialized().isEmpty()) {
            out.printf("freshly initialised (not in the weights): %s%n", loaded.reinitialized());
        }
        out.println();
        FreezeTable table = FreezeTable.of(backbone, shape, loaded.graph());
        out.print(table.render());
        out.println();
        out.println(backbone.freezePoints().choices());
        json.print(spec, () -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("backbone", backbone.name());
            doc.put("input", shape.toString());
            doc.put("weights", loaded.source());
            doc.put("totalParams", table.totalParams());
            doc.put("headParams", table.headParams());
            doc.put("freezePoints", table.rows().stream().map(r -> Map.of("depth", r.point().depth(), "name",
                    r.point().name(), "vertex", Objects.requireNonNullElse(r.point().vertex(), ""), "blockParams",
                    r.blockParams(), "frozen", r.frozen(), "trainable", r.trainable())).toList());
            return doc;
        });
        return 0;
    }

    /** Lets picocli list the catalog in --help. */
    static final class BackboneNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Backbones.names().iterator();
        }
    }
}
