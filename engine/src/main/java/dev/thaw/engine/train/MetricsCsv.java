package dev.thaw.engine.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Appends one CSV line per epoch as it ends, so a crashed run keeps every finished epoch's numbers. */
public final class MetricsCsv implements TrainingListener {

    private final Path file;

    public MetricsCsv(Path file) {
        this.file = file;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, EpochMetrics.CSV_HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, metrics.csv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The epochs recorded so far (empty if the file does not exist), keeping only the first {@code epochs}. */
    public static List<EpochMetrics> read(Path file, int epochs) {
        List<EpochMetrics> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                EpochMetrics m = EpochMetrics.parseCsv(line);
                if (m.epoch() < epochs) {
                    out.add(m);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Rewrites the file with exactly these epochs (used on resume to drop epochs past the last checkpoint). */
    public static void rewrite(Path file, List<EpochMetrics> history) {
        StringBuilder sb = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        history.forEach(m -> sb.append(m.csv()).append('\n'));
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
