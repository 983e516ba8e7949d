package dev.thaw.tuning;

import dev.thaw.engine.cli.ThawSubcommand;
import dev.thaw.engine.cli.UiAddress;
import dev.thaw.engine.ui.StatsFile;
import dev.thaw.engine.ui.UiException;
import dev.thaw.engine.ui.UiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thaw ui}: DL4J's training UI for finished or running runs and sweeps, and Thaw's sweep page. */
@Command(name = "ui", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show runs and sweeps in DL4J's training UI: each run's score, update:parameter ratios, "
                + "histograms and memory (its RUN/stats.db), and for a sweep folder Thaw's sweep page. Runs and "
                + "sweeps still training elsewhere are followed as they go. Serves until Ctrl-C."},
        footer = {"", "Examples:", "  ui runs/20261128-101500", "  ui runs            (every run in the folder)",
                "  ui sweeps/fm --ui-port 9001"})
public final class UiCommand implements Callable<Integer>, ThawSubcommand {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run folders, folders of runs, sweep folders.")
    List<Path> dirs;

    @Mixin
    UiAddress address;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> runs = new ArrayList<>();
        List<Path> sweeps = new ArrayList<>();
        for (Path dir : dirs) {
            classify(dir, runs, sweeps);
        }
        try (UiServer server = address.start(out)) {
            for (Path run : runs) {
                server.show(run);
            }
            for (Path sweep : sweeps) {
                SweepPage.show(sweep);
                SweepPage.followCandidates(sweep);
            }
            if (!runs.isEmpty()) {
                out.println("training UI: " + server.url() + "/train (" + runs.size() + " run(s): "
                        + String.join(", ", runs.stream().map(server::sessionOf).toList()) + ")");
                warnOfSharedSessions(runs, server, out);
            }
            if (!sweeps.isEmpty()) {
                out.println("sweep page: " + server.url() + SweepPage.PATH + " (" + sweeps.size() + " sweep(s); "
                        + "each candidate's training in " + server.url() + "/train)");
            }
            out.println("serving until Ctrl-C");
            out.flush();
            // a sweep still running elsewhere starts candidates: their sessions join the train pages as they come
            server.serveUntilStopped(() -> sweeps.forEach(SweepPage::followCandidates));
        }
        return 0;
    }

    /**
     * Runs recorded under the same session name (folders of the same name in different places): DL4J's train pages
     * keep one session per name and would show one of them without a word.
     */
    private static void warnOfSharedSessions(List<Path> runs, UiServer server, PrintWriter out) {
        Map<String, List<Path>> bySession = new TreeMap<>();
        runs.forEach(run -> bySession.computeIfAbsent(server.sessionOf(run), s -> new ArrayList<>()).add(run));
        bySession.forEach((session, same) -> {
            if (same.size() > 1) {
                out.println("warning: " + same.stream().map(Path::toString).collect(Collectors.joining(" and "))
                        + " recorded the same session name '" + session + "': DL4J's train pages show only one of "
                        + "them; show them one at a time");
            }
        });
    }

    /** A sweep folder, a run folder, or a folder of runs (each run with stats in it); anything else is an error. */
    private static void classify(Path dir, List<Path> runs, List<Path> sweeps) {
        if (!Files.isDirectory(dir)) {
            throw new UiException(dir + " does not exist or is not a folder: give run folders (runs/NAME), a "
                    + "folder of runs (runs) or sweep folders (the sweep's --dir)");
        }
        if (Files.isRegularFile(dir.resolve("results.jsonl")) || Files.isDirectory(dir.resolve("candidates"))) {
            sweeps.add(dir);
        } else if (Files.isRegularFile(dir.resolve("config.json")) || Files.isRegularFile(StatsFile.of(dir))) {
            runs.add(dir); // one with no stats fails with its reason when shown
        } else {
            List<Path> inside = runsIn(dir);
            if (inside.isEmpty()) {
                throw new UiException(dir + " holds no run with training statistics (RUN/" + StatsFile.NAME + ") "
                        + "and is not a sweep folder");
            }
            runs.addAll(inside);
        }
    }

    private static List<Path> runsIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(StatsFile.of(p))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
