package dev.thaw.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    /** The CPU is recorded as Linux names it, with family and model: two "AMD EPYC" machines can differ 2x in speed. */
    @Test
    void theCpuIsRecordedWithItsFamilyAndModel() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/cpuinfo")), "not Linux");
        String name = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        String cpu = Provenance.cpu();
        assertTrue(cpu.startsWith(name), cpu + " vs " + name);
        assertTrue(cpu.matches(".* \\(family \\d+, model \\d+\\)") || !Files.readString(Path.of("/proc/cpuinfo"))
                .contains("cpu family"), cpu);
        assertEquals(cpu, Provenance.environment().get("cpu"));
    }
}
