package dev.thaw.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A line torn by a kill mid-append costs that unit only: the records after it are not lost. */
class ResultsLogTest {

    /** A unit of work, as a results log records it. */
    public record Unit(int index) {
    }

    @TempDir
    Path dir;

    @Test
    void aTornLastLineIsCutSoTheNextRecordIsNotGluedToIt() throws IOException {
        Path file = dir.resolve("results.jsonl");
        Files.writeString(file, "{\"index\":0}\n{\"index\":1}\n{\"ind");
        ResultsLog<Unit> log = new ResultsLog<>(file, Unit.class);
        assertEquals(List.of(new Unit(0), new Unit(1)), log.all());
        log.append(new Unit(2));
        assertEquals(List.of(new Unit(0), new Unit(1), new Unit(2)), new ResultsLog<>(file, Unit.class).all(),
                "the unit appended after the torn line survives a re-read");
        assertEquals("{\"index\":0}\n{\"index\":1}\n{\"index\":2}\n", Files.readString(file));
    }
}
