package dev.thaw.engine.cli;

/**
 * A subcommand contributed by a module that depends on the engine (the tuning module's {@code sweep}), found with
 * {@link java.util.ServiceLoader} so that the engine never depends on it. Implementations are picocli
 * {@code @Command} classes with a public no-argument constructor, listed in
 * {@code META-INF/services/dev.thaw.engine.cli.ThawSubcommand}.
 */
public interface ThawSubcommand {
}
