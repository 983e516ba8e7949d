package dev.thaw.zoo.weights;

import dev.thaw.zoo.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A model zip as Thaw writes it: DL4J's own {@code ModelSerializer} format, so any DL4J program can read it, plus
 * one JSON string ({@code objects/thaw-model.json}) saying which backbone, input and labels it was trained with and how.
 *
 * <p>Saving writes a temporary file beside the target, in one pass and uncompressed ({@link ModelZip}), and moves it
 * into place, so a crash never leaves a half-written model under the real name.
 */
public final class ThawModelFile {

    /** Stored as DL4J's {@code ModelSerializer.addObjectToFile} stores objects: under {@code objects/}. */
    public static final String INFO_KEY = "thaw-model.json";
    public static final String INFO_ENTRY = "objects/" + INFO_KEY;

    /** ND4J ships a shaded Jackson; using it avoids a second Jackson on the classpath. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What Thaw records next to the weights.
     *
     * @param backbone   catalog name of the backbone the graph was built from
     * @param input      input shape, as {@code CxHxW}
     * @param labels     class names in output order
     * @param provenance free-form facts (config, data fingerprint, versions) the engine adds
     */
    public record Info(String backbone, String input, List<String> labels, Map<String, Object> provenance) {
        public Info {
            labels = List.copyOf(labels);
            provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        }
    }

    private ThawModelFile() {
    }

    public static void save(ComputationGraph graph, Info info, Path file, boolean saveUpdater) {
        try {
            AtomicFile.write(file, tmp -> ModelZip.write(graph, tmp, saveUpdater,
                    Map.of(INFO_KEY, JSON.writeValueAsString(info)), Map.of()));
        } catch (IOException e) {
            throw new WeightsException("cannot save model to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The Thaw info inside a model zip, or empty for a plain DL4J zip. */
    public static Optional<Info> readInfo(Path file) {
        requireReadable(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry(INFO_ENTRY) == null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw notAModel(file, e);
        }
        try {
            String json = ModelSerializer.getObjectFromFile(file.toFile(), INFO_KEY);
            return Optional.of(JSON.readValue(json, Info.class));
        } catch (IOException | RuntimeException e) {
            throw new WeightsException("the Thaw information in " + file + " is unreadable (" + e.getMessage()
                    + "): the file is damaged; pass it as dl4j:" + file + " to load the weights alone", e);
        }
    }

    /** Restores the graph, turning DL4J's failures on a bad file into one message naming the file. */
    public static ComputationGraph restore(Path file, boolean loadUpdater) {
        requireReadable(file);
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), loadUpdater);
        } catch (Exception | OutOfMemoryError e) {
            throw notAModel(file, e);
        }
    }

    private static void requireReadable(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("model file " + file + " does not exist"
                    + (Files.isDirectory(file) ? " (it is a directory: pass the .zip inside it)" : "")
                    + ": check the --weights path", new NoSuchFileException(file.toString()));
        }
    }

    private static WeightsException notAModel(Path file, Throwable cause) {
        return new WeightsException(file + " is not a readable DL4J ComputationGraph zip (" + cause.getClass()
                .getSimpleName() + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage()))
                + "). It may be truncated or corrupt: copy it again, or save it with ModelSerializer.writeModel.",
                cause);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
