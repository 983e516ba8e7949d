package dev.thaw.tuning;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The memory of long experiments (sweeps, comparisons): {@code results.jsonl}, one JSON line per finished unit of
 * work (a candidate, a rung, a comparison run), appended and forced to disk the moment it finishes. A re-run of the
 * same folder reads it and skips what is there, so a kill loses at most the unit in flight; a torn last line from a
 * kill mid-write is cut off (and said so on stderr) before anything is appended after it.
 *
 * @param <T> the record type, a Jackson-readable record
 */
public final class ResultsLog<T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Class<T> type;
    private final List<T> records = new ArrayList<>();

    public ResultsLog(Path file, Class<T> type) {
        this.file = file;
        this.type = type;
        records.addAll(read(file, type, true));
    }

    /**
     * The records of a log another process may be appending to (a viewer's read): its complete lines, the file
     * left as it is (a line being written is not a torn one).
     */
    public static <T> List<T> readOnly(Path file, Class<T> type) {
        return read(file, type, false);
    }

    private static <T> List<T> read(Path file, Class<T> type, boolean cutTornLine) {
        List<T> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : wholeLines(file, cutTornLine).lines().toList()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(line, type));
                } catch (IOException unreadable) {
                    // a line of another version's record: that unit simply runs again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /**
     * The log's complete lines. A process killed mid-append leaves a last line without its newline: it is cut off
     * the file, as that unit runs again and the next record must not be glued onto the fragment (both would then be
     * unreadable).
     */
    private static String wholeLines(Path file, boolean cutTornLine) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (cutTornLine && end < bytes.length) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(end);
            }
            System.err.printf("%s: dropped a torn last line (%d bytes, a kill mid-write); that unit runs again%n", file,
                    bytes.length - end);
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    public synchronized Optional<T> find(Predicate<T> which) {
        return records.stream().filter(which).findFirst();
    }

    public synchronized List<T> all() {
        return List.copyOf(records);
    }

    public synchronized void append(T record) {
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        records.add(record);
    }
}
