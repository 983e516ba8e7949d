package dev.thaw.tuning;

import dev.thaw.engine.run.FolderLock;
import dev.thaw.engine.ui.StatsFile;
import dev.thaw.engine.ui.UiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the live sweep page shows of a sweep folder, read from the folder alone (its results log and candidate
 * folders), so that a page opened during the sweep, after it, or after a crash and resume shows the same thing.
 * Read-only: the sweep may be appending as it is read.
 */
final class SweepView {

    private SweepView() {
    }

    /** The page's JSON document for the sweep in {@code dir} (NaN scores are null: JSON has no NaN). */
    static Map<String, Object> of(Path dir) {
        List<CandidateRecord> records = ResultsLog.readOnly(dir.resolve("results.jsonl"), CandidateRecord.class);
        List<CandidateRecord> finals = SweepReport.finalRecords(records);
        Optional<CandidateRecord> best = Sweep.best(records);
        Set<Path> finished = finals.stream().filter(r -> !r.interrupted()).map(r -> runDir(dir, r))
                .collect(Collectors.toSet());

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dir", dir.toAbsolutePath().normalize().toString());
        doc.put("name", dir.toAbsolutePath().normalize().getFileName().toString());
        doc.put("best", best.map(CandidateRecord::index).orElse(null));
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (CandidateRecord r : finals) {
            candidates.add(candidate(dir, r, FolderLock.held(runDir(dir, r)) ? "running" : r.status()));
        }
        doc.put("candidates", candidates);
        doc.put("running", running(dir, finished));
        doc.put("rungs", rungs(records));
        doc.put("featuresComputed", records.stream().mapToInt(CandidateRecord::featuresComputed).sum());
        doc.put("featuresReused", records.stream().mapToInt(CandidateRecord::featuresReused).sum());
        List<CandidateRecord> ok = finals.stream().filter(CandidateRecord::ok).toList();
        doc.put("heatmap", ok.isEmpty() ? null : heatmap(Heatmap.of(ok)));
        return doc;
    }

    /** The candidate run folders of the sweep (each a Thaw run with its own stats). */
    static List<Path> candidateRuns(Path dir) {
        Path candidates = dir.resolve("candidates");
        if (!Files.isDirectory(candidates)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(candidates)) {
            // a candidate's folder holds its config (or, in its first moment, its lock); its logs sit beside it
            return s.filter(p -> Files.isRegularFile(p.resolve("config.json"))
                    || Files.isRegularFile(p.resolve(FolderLock.FILE))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + candidates, e);
        }
    }

    private static Map<String, Object> candidate(Path dir, CandidateRecord r, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", r.index());
        m.put("rung", r.rung());
        m.put("epochs", r.epochs());
        m.put("strategy", r.strategy());
        m.put("freeze", r.freeze());
        m.put("lr", r.lr());
        m.put("updater", r.updater());
        m.put("batch", r.batch());
        m.put("head", r.head());
        m.put("status", status);
        m.put("reason", r.reason());
        m.put("score", number(r.score()));
        m.put("valScores", r.valScores());
        m.put("seconds", r.seconds());
        m.put("featuresComputed", r.featuresComputed());
        m.put("featuresReused", r.featuresReused());
        Path run = runDir(dir, r);
        m.put("session", session(run));
        m.put("hasStats", Files.isRegularFile(StatsFile.of(run)));
        return m;
    }

    /** The candidate's session in the train pages: as the UI lists it when one runs, else as it is recorded. */
    private static String session(Path run) {
        return UiServer.running().map(ui -> ui.sessionOf(run)).orElseGet(() -> StatsFile.sessionOf(run));
    }

    /** Candidate folders locked by a training process and not recorded as finished: being trained now. */
    private static List<Map<String, Object>> running(Path dir, Set<Path> finished) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path run : candidateRuns(dir)) {
            if (FolderLock.held(run) && !finished.contains(run.toAbsolutePath().normalize())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("session", session(run));
                m.put("hasStats", Files.isRegularFile(StatsFile.of(run)));
                out.add(m);
            }
        }
        return out;
    }

    /** Successive halving's rungs: how many candidates each trained, for how many epochs, and its best score. */
    private static List<Map<String, Object>> rungs(List<CandidateRecord> records) {
        TreeMap<Integer, List<CandidateRecord>> byRung = records.stream().filter(r -> !r.interrupted())
                .collect(Collectors.groupingBy(CandidateRecord::rung, TreeMap::new, Collectors.toList()));
        List<Map<String, Object>> out = new ArrayList<>();
        byRung.forEach((rung, rs) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rung", rung);
            m.put("candidates", rs.stream().map(CandidateRecord::index).distinct().count());
            m.put("epochs", rs.stream().mapToInt(CandidateRecord::epochs).max().orElse(0));
            m.put("best", number(rs.stream().filter(CandidateRecord::ok).mapToDouble(CandidateRecord::score).max()
                    .orElse(Double.NaN)));
            out.add(m);
        });
        return out;
    }

    private static Map<String, Object> heatmap(Heatmap h) {
        List<List<Double>> cells = new ArrayList<>();
        for (double[] row : h.scores()) {
            List<Double> cellsOfRow = new ArrayList<>();
            for (double v : row) {
                cellsOfRow.add(number(v));
            }
            cells.add(cellsOfRow);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("freezePoints", h.freezePoints());
        m.put("learningRates", h.learningRates());
        m.put("scores", cells);
        return m;
    }

    private static Path runDir(Path sweepDir, CandidateRecord r) {
        Path run = Path.of(r.runDir());
        return (run.isAbsolute() ? run : sweepDir.resolve("candidates").resolve(run.getFileName()))
                .toAbsolutePath().normalize();
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
