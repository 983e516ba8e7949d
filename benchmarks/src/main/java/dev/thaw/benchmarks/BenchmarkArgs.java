package dev.thaw.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's {@code --name value} options: every name is checked against the ones the benchmark knows, so a
 * typo fails at once with the list instead of running an hour-long benchmark with a default.
 */
final class BenchmarkArgs {

    private final Map<String, String> values = new LinkedHashMap<>();

    /** @param usage the options with their values, for the error message ({@code "--cases model:size,..., ..."}) */
    BenchmarkArgs(String[] args, String usage, String... names) {
        List<String> known = List.of(names);
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException((known.contains(args[i]) ? "no value for " : "unknown option ")
                        + args[i] + "; use " + usage);
            }
            values.put(args[i], args[i + 1]);
        }
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int getInt(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double getDouble(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    Path getPath(String name, String fallback) {
        return Path.of(get(name, fallback));
    }
}
