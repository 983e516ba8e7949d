package dev.thaw.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's {@code --name value} options (and {@code --flag}s without a value): every name is checked against
 * the ones the benchmark knows, so a typo fails at once with the list instead of running an hour-long benchmark with
 * a default.
 */
public final class BenchmarkArgs {

    private final Map<String, String> values = new LinkedHashMap<>();

    /** @param usage the options with their values, for the error message ({@code "--cases model:size,..., ..."}) */
    public BenchmarkArgs(String[] args, String usage, String... names) {
        this(args, usage, List.of(), List.of(names));
    }

    /** @param flags options that take no value ({@link #has}) */
    public BenchmarkArgs(String[] args, String usage, List<String> flags, List<String> names) {
        for (int i = 0; i < args.length; i++) {
            if (flags.contains(args[i])) {
                values.put(args[i], "");
            } else if (names.contains(args[i]) && i + 1 < args.length) {
                values.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException((names.contains(args[i]) ? "no value for " : "unknown option ")
                        + args[i] + "; use " + usage);
            }
        }
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int getInt(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    public double getDouble(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    public Path getPath(String name, String fallback) {
        return Path.of(get(name, fallback));
    }
}
