package dev.thaw.engine.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
public final class GlobalOptions {

    @Option(names = {"-v", "--verbose"}, description = "Show DL4J/ND4J log output and stack traces on errors.")
    boolean verbose;

    /**
     * Logging must be configured before the first logger exists, which is before picocli has parsed anything, so
     * the flag is looked for in the raw arguments.
     */
    static boolean verboseRequested(String[] args) {
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static void configureLogging(boolean verbose) {
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
    }
}
