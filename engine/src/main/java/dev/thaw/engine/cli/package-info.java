/**
 * The {@code thaw} command line ({@link dev.thaw.engine.cli.ThawCli}): each subcommand is a thin layer over the
 * public API of the {@code run}, {@code data} and {@code train} packages.
 */
package dev.thaw.engine.cli;
