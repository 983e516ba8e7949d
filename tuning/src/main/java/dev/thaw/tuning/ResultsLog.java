package dev.thaw.tuning;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The sweep's memory: {@code results.jsonl}, one JSON line per finished candidate (or rung), appended and forced
 * to disk the moment it finishes. A re-run of the same sweep folder reads it and skips what is there, so a kill
 * loses at most the candidate in flight; a torn last line from a kill mid-write is ignored.
 */
final class ResultsLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<CandidateRecord> records = new ArrayList<>();

    ResultsLog(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        records.add(JSON.readValue(line, CandidateRecord.class));
                    } catch (IOException torn) {
                        // The last line of a process killed mid-write; that candidate simply runs again.
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    synchronized Optional<CandidateRecord> find(int index, int rung) {
        return records.stream().filter(r -> r.index() == index && r.rung() == rung).findFirst();
    }

    synchronized List<CandidateRecord> all() {
        return List.copyOf(records);
    }

    synchronized void append(CandidateRecord record) {
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        records.add(record);
    }
}
