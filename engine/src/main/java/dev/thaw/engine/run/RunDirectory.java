package dev.thaw.engine.run;

import dev.thaw.zoo.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * One run's folder, {@code runs/<name>/}, and the files in it:
 * <ul>
 * <li>{@code config.json}: the resolved configuration, data fingerprint and versions (provenance)</li>
 * <li>{@code labels.txt}: class names in output order</li>
 * <li>{@code data-report.txt}: what the scan used and skipped</li>
 * <li>{@code metrics.csv}: one line per epoch</li>
 * <li>{@code evaluation.json}: test (or validation) scores</li>
 * <li>{@code model.zip}: the trained model (DL4J format, with Thaw's info inside; usable as {@code thaw:PATH})</li>
 * <li>{@code checkpoint/}: the last complete epoch, for {@code --resume}</li>
 * </ul>
 */
public final class RunDirectory {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** A new run folder under {@code runs}; the name defaults to a timestamp and must not exist yet. */
    public static RunDirectory create(Path runs, String name) {
        String n = name != null ? name
                : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = runs.resolve(n);
        if (Files.exists(dir)) {
            throw new IllegalArgumentException("run folder " + dir + " already exists: pick another --name, or "
                    + "continue it with --resume " + dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + dir, e);
        }
        return new RunDirectory(dir);
    }

    /** An existing run folder, e.g. for {@code --resume}, {@code evaluate} and {@code predict}. */
    public static RunDirectory open(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException(dir + " is not a Thaw run folder (no config.json): pass a folder "
                    + "under runs/ that train or pretrain wrote");
        }
        return new RunDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    public Path model() {
        return dir.resolve("model.zip");
    }

    public Path checkpoints() {
        return dir.resolve("checkpoint");
    }

    public Path metrics() {
        return dir.resolve("metrics.csv");
    }

    public void writeJson(String file, Object value) {
        try {
            AtomicFile.write(dir.resolve(file), tmp -> JSON.writeValue(tmp.toFile(), value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(file), e);
        }
    }

    public <T> T readJson(String file, Class<T> type) {
        try {
            return JSON.readValue(dir.resolve(file).toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    public void writeText(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(file), e);
        }
    }

    public void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public List<String> labels() {
        try {
            return Files.readAllLines(dir.resolve("labels.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("labels.txt"), e);
        }
    }
}
