package dev.thaw.engine.train;

import dev.thaw.zoo.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Fault tolerance for a run, kept apart from the user-facing model: the training graph (with its updater state) and
 * a small state file are written, each beside its final name and moved into place, so a killed run always finds a
 * complete epoch. {@code best.zip} holds the weights of the best validation epoch.
 *
 * <p>Checkpoints are DL4J model zips (ModelSerializer reads them) written without compression: deflating a
 * ResNet50's floats took 3.8 s for 83 MB (8 s with Adam's state) and saved 12 %; stored, the same 94 MB take
 * 0.6 s. Writes are still paced by what they cost, as a head-only epoch from cached features takes 0.04 s: an
 * epoch's checkpoint is written once the training time since the last write reaches {@value #TRAINING_PER_WRITE}
 * times what that write took (before the first write: what the parameters and updater state would take at
 * {@value #WRITE_BYTES_PER_SECOND} bytes/s, the rate measured here), and whatever is pending is written at the end of
 * each phase and of training. Checkpointing thus costs at
 * most about a fifth of the training time, and a killed run loses at most that much training. The best epoch's
 * weights wait in memory until the next write; when the best epoch is the last one, {@code best.zip} is a file copy
 * of {@code last.zip} rather than a second serialization.
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
            write(training, dir.resolve("best.zip"), false);
            training.setParams(current);
        }
        write(training, dir.resolve("last.zip"), true);
        if (bestIsLast) {
            copy(dir.resolve("last.zip"), dir.resolve("best.zip"));
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
        } catch (IOException | RuntimeException e) {
            // written whole or not at all (AtomicFile): damaged afterwards, e.g. copied half or cut by a full disk
            throw new IllegalStateException("checkpoint " + file + " is damaged (" + e.getMessage() + "): delete "
                    + file.getParent() + " to start the run afresh", e);
        }
    }

    private void write(ComputationGraph graph, Path target, boolean updater) {
        try {
            AtomicFile.write(target, tmp -> writeStored(graph, tmp, updater));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** What {@link ModelSerializer#writeModel} writes, with the same entry names, but stored, not deflated. */
    private static void writeStored(ComputationGraph graph, Path file, boolean updater) throws IOException {
        // the file stream is a resource of its own: when the disk fills, the zip's close (finishing the archive)
        // fails again, and JDK 17's DeflaterOutputStream then skips closing what it wraps, which would hold the
        // deleted file's space until a GC
        try (OutputStream raw = Files.newOutputStream(file);
             ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(raw, 1 << 20))) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            zip.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
            zip.write(graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(zip, 1 << 20));
            zip.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
            Nd4j.write(graph.params(), out);
            out.flush();
            INDArray state = updater && graph.getUpdater() != null ? graph.getUpdater().getStateViewArray() : null;
            if (state != null && state.length() > 0) {
                zip.putNextEntry(new ZipEntry(ModelSerializer.UPDATER_BIN));
                Nd4j.write(state, out);
                out.flush();
            }
        }
    }

    private void copy(Path from, Path to) {
        try {
            AtomicFile.write(to, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint " + to + ": " + e.getMessage(), e);
        }
    }

    private void writeState(State state) {
        try {
            AtomicFile.write(dir.resolve("state.json"), tmp -> JSON.writeValue(tmp.toFile(), state));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint state in " + dir + ": " + e.getMessage(), e);
        }
    }
}
