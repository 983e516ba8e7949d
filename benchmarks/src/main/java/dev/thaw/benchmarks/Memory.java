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
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux: report unknown
        }
        return -1;
    }

    /**
     * Frees what earlier cases left (a GC lets ND4J's deallocator threads release off-heap arrays), then resets the
     * peak resident set (VmHWM) to the current RSS, so that the next {@link #peakRssMb()} is the peak of what ran in
     * between (Linux 4.0+; elsewhere the peak stays process-wide). What the JVM keeps of its heap still counts.
     */
    static void resetPeak() {
        System.gc();
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException ignored) {
            // not Linux: peaks stay process-wide
        }
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
