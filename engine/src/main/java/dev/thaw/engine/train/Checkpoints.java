package dev.thaw.engine.train;

import dev.thaw.zoo.AtomicFile;
import dev.thaw.zoo.weights.ModelZip;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Fault tolerance for a run, kept apart from the user-facing model: the training graph (with its updater state and,
 * as entry {@value #STATE_ENTRY}, the run's {@link State}) is written beside its final name and moved into place,
 * so a killed run always finds a complete epoch. The checkpoint before it stays as {@code previous.zip} while the
 * run trains: when {@code last.zip} is found damaged (cut short by a copy or a full disk), the run resumes from
 * {@code previous.zip} and says so, losing one checkpoint's worth of epochs instead of the run. A finished run
 * keeps only {@code last.zip}. {@code best.zip} holds the weights of the best validation epoch.
 *
 * <p>Checkpoints are DL4J model zips (ModelSerializer reads them) written without compression ({@link ModelZip}:
 * deflating Adam's state too took 8 s for a ResNet50). Writes are still paced by what they cost, as a head-only
 * epoch from cached features takes 0.04 s: an epoch's checkpoint is written once the training time since the last
 * write reaches {@value #TRAINING_PER_WRITE} times what that write took (before the first write: what the parameters
 * and updater state would take at {@value #WRITE_BYTES_PER_SECOND} bytes/s, the rate measured here), and whatever is
 * pending is written at the end of each phase and of training. Checkpointing thus costs at most about a fifth of the
 * training time, and a killed run loses at most that much training. The best epoch's
 * weights wait in memory until the next write; when the best epoch is the last one, {@code best.zip} is a file copy
 * of {@code last.zip} rather than a second serialization.
 */
public final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The zip entry holding a checkpoint's {@link State}; folders from before it have {@code state.json}. */
    static final String STATE_ENTRY = "thaw-state.json";
    private static final String LAST = "last.zip";
    private static final String PREVIOUS = "previous.zip";

    /** The checkpoint a resumed run starts from, and why it is not {@code last.zip} when it is not. */
    private record Found(Path zip, State state, Optional<String> recovery) {
    }

    /**
     * @param completedEpochs epochs fully trained
     * @param bestEpoch       0-based epoch with the best validation accuracy, or -1
     * @param bestScore       that accuracy
     * @param sinceBest       epochs since the best one (for early stopping)
     */
    public record State(int completedEpochs, int bestEpoch, double bestScore, int sinceBest) {
    }

    /** Seconds of training per second of checkpoint writing, at least. */
    static final double TRAINING_PER_WRITE = 4;
    /** Writing a checkpoint's floats uncompressed: about 150 MB/s on this machine (ResNet50's 94 MB in 0.6 s). */
    static final double WRITE_BYTES_PER_SECOND = 150e6;

    private final Path dir;
    private final double trainingPerWrite;
    private double writeSeconds;
    private double unsavedSeconds;
    private State pending;
    private INDArray pendingBest;

    /** Checkpoints paced by their cost (see the class comment). */
    public Checkpoints(Path dir) {
        this(dir, TRAINING_PER_WRITE);
    }

    /** Checkpoints written once {@code trainingPerWrite} times a write's cost has trained since the last one. */
    Checkpoints(Path dir, double trainingPerWrite) {
        this.dir = dir;
        this.trainingPerWrite = trainingPerWrite;
    }

    /** Checkpoints written after every epoch, whatever they cost. */
    public static Checkpoints everyEpoch(Path dir) {
        return new Checkpoints(dir, 0);
    }

    public Path directory() {
        return dir;
    }

    /**
     * Records a finished epoch of {@code training}; writes it now or later (see the class comment).
     *
     * @param best    whether this epoch is the best so far
     * @param seconds how long the epoch took
     */
    void epochEnded(ComputationGraph training, State state, boolean best, double seconds) {
        pending = state;
        unsavedSeconds += seconds;
        if (writeSeconds == 0) {
            INDArray updater = training.getUpdater() == null ? null : training.getUpdater().getStateViewArray();
            long floats = training.numParams() + (updater == null ? 0 : updater.length());
            writeSeconds = floats * 4.0 / WRITE_BYTES_PER_SECOND;
        }
        if (unsavedSeconds >= trainingPerWrite * writeSeconds) {
            flush(training); // a best epoch written now is last.zip's copy: no need to keep its weights
        } else if (best) {
            pendingBest = training.params().dup();
        }
    }

    /** Writes what {@link #epochEnded} has not yet written; call it before {@code training} is replaced. */
    void flush(ComputationGraph training) {
        if (pending == null) {
            return;
        }
        long start = System.nanoTime();
        // The last pending epoch being the best means its weights are the graph's own; otherwise a best epoch
        // among the pending ones waits in pendingBest (null: best.zip on disk is still the best).
        boolean bestIsLast = pending.bestEpoch() == pending.completedEpochs() - 1;
        if (pendingBest != null && !bestIsLast) {
            INDArray current = training.params().dup();
            training.setParams(pendingBest);
            write(training, dir.resolve("best.zip"), null);
            training.setParams(current);
        }
        // whole before anything moves; then last becomes previous and the new one last, each an atomic rename
        write(training, dir.resolve("next.zip"), pending);
        move(dir.resolve(LAST), dir.resolve(PREVIOUS));
        move(dir.resolve("next.zip"), dir.resolve(LAST));
        if (bestIsLast) {
            copy(dir.resolve(LAST), dir.resolve("best.zip"));
        }
        pendingBest = null;
        writeState(pending);
        pending = null;
        unsavedSeconds = 0;
        writeSeconds = (System.nanoTime() - start) / 1e9;
    }

    /** Whether a finished epoch waits to be written ({@link #flush} writes it). */
    boolean holdsBack() {
        return pending != null;
    }

    /** Epochs the checkpoint on disk holds (0 when there is none). */
    int writtenEpochs() {
        return state().map(State::completedEpochs).orElse(0);
    }

    /** What the checkpoint a resumed run starts from holds; empty when there is none. */
    public Optional<State> state() {
        return found().map(Found::state);
    }

    /**
     * Why the run resumes from {@code previous.zip} ({@code last.zip} damaged), to tell the user; empty when it
     * resumes from {@code last.zip} or there is nothing to resume.
     */
    public Optional<String> recovery() {
        return found().flatMap(Found::recovery);
    }

    /** Once training has ended: {@code last.zip} is what a run extended later starts from; the one before it goes. */
    void finished() {
        try {
            Files.deleteIfExists(dir.resolve(PREVIOUS));
        } catch (IOException e) {
            // only space is lost; the next run over this folder replaces it
        }
    }

    /**
     * The newest checkpoint that is whole: {@code last.zip}, else {@code previous.zip}. "Whole" is what can be
     * checked without reading the weights: the zip's directory (at its very end, so a cut file has none), the
     * weights entry and the state. When neither is whole, the error names each and the way out.
     */
    private Optional<Found> found() {
        List<String> damaged = new ArrayList<>();
        for (String name : List.of(LAST, PREVIOUS)) {
            Path zip = dir.resolve(name);
            if (!Files.isRegularFile(zip)) {
                continue;
            }
            try {
                State state = readState(zip);
                Optional<String> recovery = damaged.isEmpty() ? Optional.empty() : Optional.of("checkpoint "
                        + damaged.get(0) + ": resuming from the one before it, " + zip + " (after epoch "
                        + state.completedEpochs() + ")");
                return Optional.of(new Found(zip, state, recovery));
            } catch (IOException | RuntimeException e) {
                damaged.add(zip + " is damaged (" + e.getMessage() + ")");
            }
        }
        if (!damaged.isEmpty()) {
            throw new IllegalStateException("checkpoint " + String.join("; ", damaged) + ": delete " + dir
                    + " to start the run afresh");
        }
        return Optional.empty();
    }

    private State readState(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.getEntry(ModelSerializer.COEFFICIENTS_BIN) == null) {
                throw new IOException("no " + ModelSerializer.COEFFICIENTS_BIN + " entry");
            }
            ZipEntry entry = file.getEntry(STATE_ENTRY);
            if (entry == null) { // written before states moved into the zip
                return JSON.readValue(dir.resolve("state.json").toFile(), State.class);
            }
            try (InputStream in = file.getInputStream(entry)) {
                return JSON.readValue(in, State.class);
            }
        }
    }

    ComputationGraph restoreLast() {
        return restore(found().orElseThrow(() -> new IllegalStateException("no checkpoint in " + dir)).zip(), true);
    }

    Optional<ComputationGraph> restoreBest() {
        Path best = dir.resolve("best.zip");
        return Files.isRegularFile(best) ? Optional.of(restore(best, false)) : Optional.empty();
    }

    private static ComputationGraph restore(Path file, boolean updater) {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), updater);
        } catch (IOException | RuntimeException e) {
            // written whole or not at all (AtomicFile): damaged afterwards, e.g. copied half or cut by a full disk
            throw new IllegalStateException("checkpoint " + file + " is damaged (" + e.getMessage() + "): delete "
                    + file.getParent() + " to start the run afresh", e);
        }
    }

    /** Writes {@code graph}; with a {@code state}, also its updater state and the {@link State} (a resumable one). */
    private void write(ComputationGraph graph, Path target, State state) {
        try {
            AtomicFile.write(target, tmp -> ModelZip.write(graph, tmp, state != null, Map.of(),
                    state == null ? Map.of() : Map.of(STATE_ENTRY, JSON.writeValueAsBytes(state))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    private void copy(Path from, Path to) {
        try {
            AtomicFile.write(to, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint " + to + ": " + e.getMessage(), e);
        }
    }

    /** {@code state.json}: the last checkpoint's state for people and scripts (resuming reads the zip's own). */
    private void writeState(State state) {
        try {
            AtomicFile.write(dir.resolve("state.json"), tmp -> JSON.writeValue(tmp.toFile(), state));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint state in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            if (Files.exists(from)) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot move checkpoint " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
