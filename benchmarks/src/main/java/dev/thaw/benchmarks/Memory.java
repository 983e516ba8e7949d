package dev.thaw.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;

/** Memory figures for benchmark reports: the process's peak resident set and ND4J's off-heap bytes now. */
final class Memory {

    private Memory() {
    }

    /** Peak resident set of this process so far (VmHWM), in MB; -1 where /proc is not available. */
    static long peakRssMb() {
        long kb = procStatus("VmHWM:");
        return kb < 0 ? -1 : kb / 1024;
    }

    /**
     * A numeric field of {@code /proc/self/status}: kB for memory ({@code VmRSS:}, {@code VmHWM:}), a count for
     * {@code Threads:}; -1 where /proc is not available.
     */
    static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux: report unknown
        }
        return -1;
    }

    /**
     * Off-heap bytes JavaCPP tracks now (where ND4J's arrays live), in MB. Not {@code Pointer.physicalBytes()}: that
     * is the whole process's resident set.
     */
    static long offHeapMb() {
        return Pointer.totalBytes() >> 20;
    }

    static long heapUsedMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }
}
