package dev.thaw.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures for benchmark reports: the process's peak resident set, fields of {@code /proc/self/status}, the
 * Java heap in use. No figure for ND4J's arrays alone: ND4J 1.0.0-M2.1's CPU backend allocates them natively without
 * JavaCPP's or its memory manager's count (measured: after a 400 MB array, {@code Pointer.totalBytes()} and
 * {@code MemoryManager.allocatedMemory(0)} both read 0 while {@code Pointer.physicalBytes()} grew by 383 MB), so the
 * resident set is the figure that holds them.
 */
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

    static long heapUsedMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }
}
