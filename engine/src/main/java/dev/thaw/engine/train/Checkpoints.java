package dev.thaw.engine.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Fault tolerance for a run, kept apart from the user-facing model: after every epoch the training graph (with its
 * updater state) and a small state file are written, each beside its final name and moved into place, so a killed
 * run always finds the last complete epoch. {@code best.zip} holds the weights of the best validation epoch.
 */
public final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param completedEpochs epochs fully trained
     * @param bestEpoch       0-based epoch with the best validation accuracy, or -1
     * @param bestScore       that accuracy
     * @param sinceBest       epochs since the best one (for early stopping)
     */
    public record State(int completedEpochs, int bestEpoch, double bestScore, int sinceBest) {
    }

    private final Path dir;

    public Checkpoints(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    void save(ComputationGraph training, State state) {
        write(training, dir.resolve("last.zip"), true);
        writeState(state);
    }

    void saveBest(ComputationGraph training) {
        write(training, dir.resolve("best.zip"), false);
    }

    public Optional<State> state() {
        Path file = dir.resolve("state.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(dir.resolve("last.zip"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), State.class));
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint state " + file + " is unreadable (" + e.getMessage()
                    + "): delete the checkpoint folder to start the run afresh", e);
        }
    }

    ComputationGraph restoreLast() {
        return restore(dir.resolve("last.zip"), true);
    }

    Optional<ComputationGraph> restoreBest() {
        Path best = dir.resolve("best.zip");
        return Files.isRegularFile(best) ? Optional.of(restore(best, false)) : Optional.empty();
    }

    private static ComputationGraph restore(Path file, boolean updater) {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), updater);
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint " + file + " is unreadable (" + e.getMessage() + ")", e);
        }
    }

    private void write(ComputationGraph graph, Path target, boolean updater) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".part");
            ModelSerializer.writeModel(graph, tmp.toFile(), updater);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    private void writeState(State state) {
        try {
            Path tmp = Files.createTempFile(dir, "state", ".part");
            JSON.writeValue(tmp.toFile(), state);
            Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint state in " + dir + ": " + e.getMessage(), e);
        }
    }
}
