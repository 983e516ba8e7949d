package dev.thaw.engine.cli;

import dev.thaw.engine.data.CacheDirectory;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.train.FeatureCache;
import dev.thaw.zoo.Backbones;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thaw cache}: what the decoded-image and feature caches hold, and pruning or clearing them. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"Show what Thaw caches (decoded images, frozen-backbone features: entries and size, features "
                + "per backbone), or prune or clear it. Each kind is capped (least recently used out first) at "
                + "-Dthaw.cache.max-gb, default 10 GB; the folder is -Dthaw.cache.dir, default ~/.cache/thaw."},
        footer = {"", "Examples:", "  cache", "  cache --prune --max-gb 2", "  cache --clear features"})
final class CacheCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--prune", description = "Remove entries of old formats and leftovers of crashed writes, and "
            + "evict least recently used entries down to the cap.")
    boolean prune;

    @Option(names = "--max-gb", paramLabel = "GB", description = "The cap --prune evicts to (default: the "
            + "configured cap).")
    Double maxGb;

    @Option(names = "--clear", arity = "0..1", paramLabel = "KIND", fallbackValue = "all",
            description = "Delete cached entries: decoded, features or all (default: all).")
    String clear;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, CacheDirectory> kinds = new LinkedHashMap<>();
        kinds.put("decoded", DecodeCache.disk(FineTune.cacheDir().resolve("decoded")));
        kinds.put("features", FeatureCache.disk(FineTune.cacheDir().resolve("features")));
        if (clear != null) {
            if (!clear.equals("all") && !kinds.containsKey(clear)) {
                throw new IllegalArgumentException("--clear " + clear + ": use decoded, features or all");
            }
            kinds.forEach((kind, dir) -> {
                if (clear.equals("all") || clear.equals(kind)) {
                    out.printf("cleared %s: %s freed%n", kind, size(dir.clear()));
                }
            });
        } else if (prune) {
            kinds.forEach((kind, dir) -> {
                long cap = maxGb == null ? dir.maxBytes() : (long) (maxGb * 1e9);
                out.printf("pruned %s to %s: %s freed%n", kind, size(cap), size(dir.prune(cap)));
            });
        }
        out.printf("cache %s (each kind capped at %s: -Dthaw.cache.max-gb)%n", FineTune.cacheDir(),
                size(CacheDirectory.configuredMaxBytes()));
        out.printf("%-9s %8s %10s  %s%n", "kind", "entries", "size", "notes");
        kinds.forEach((kind, dir) -> {
            List<CacheDirectory.Entry> entries = dir.entries();
            long total = entries.stream().mapToLong(CacheDirectory.Entry::bytes).sum();
            long other = dir.otherBytes();
            String notes = (kind.equals("features") ? byBackbone(entries) : "") + (other == 0 ? ""
                    : (kind.equals("features") && !entries.isEmpty() ? "; " : "") + "+ " + size(other)
                    + " of older formats or unfinished writes (--prune removes them)");
            out.println(String.format(Locale.ROOT, "%-9s %8d %10s  %s", kind, entries.size(), size(total), notes)
                    .stripTrailing());
        });
        return 0;
    }

    /** Feature entries are named {@code features-vN-BACKBONE-VERTEX-HASH.bin}; backbone names may hold dashes. */
    private static String byBackbone(List<CacheDirectory.Entry> entries) {
        List<String> names = Backbones.names().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        Map<String, Long> bytes = new TreeMap<>();
        for (CacheDirectory.Entry e : entries) {
            String rest = e.name().substring(FeatureCache.PREFIX.length());
            String backbone = names.stream().filter(n -> rest.startsWith(n + "-")).findFirst().orElse("other");
            bytes.merge(backbone, e.bytes(), Long::sum);
        }
        return String.join(", ", bytes.entrySet().stream().map(b -> b.getKey() + " " + size(b.getValue()))
                .toList());
    }

    private static String size(long bytes) {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
