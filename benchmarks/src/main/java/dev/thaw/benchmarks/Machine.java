package dev.thaw.benchmarks;

import dev.thaw.engine.run.Provenance;
import java.util.Locale;

/**
 * The machine line of every benchmark report: cores, CPU model, architecture, Java. The CPU is there because the
 * machines differ between sessions: the same ResNet50 step took 0.34 s on one 2-core machine and 0.56 s on another
 * (an AMD EPYC), with PyTorch's moving differently (results/step-runs/README.md), so times from two reports compare
 * only on the same CPU.
 */
public final class Machine {

    private Machine() {
    }

    /** For example {@code 2 cores, AMD EPYC (family 25, model 17), amd64, Java 17.0.15}. */
    public static String describe() {
        return String.format(Locale.ROOT, "%d cores, %s, %s, Java %s", Runtime.getRuntime().availableProcessors(),
                Provenance.cpu(), System.getProperty("os.arch"), System.getProperty("java.version"));
    }
}
