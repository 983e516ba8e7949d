package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.LrRangeTest;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.TrainingStoppedException;
import dev.thaw.zoo.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * The {@code find} search's first step: a learning-rate range test ({@link LrRangeTest}) for each configuration the
 * sweep will train (each freeze point, times the strategy kinds, updaters, batch sizes and heads searched), so that
 * each trains once, at the rate its test suggests, instead of once per rate of a grid. The tests run before the
 * candidates and are kept in {@code lr-find/tNN.json} (the configuration, its curve, the rate): a resumed sweep
 * reads them instead of testing again. Their curves are drawn in {@code lr-find.png}.
 */
public final class RateFinder {

    /**
     * The test's rates span the sweep's {@code [lrMin, lrMax]} widened 100× each way, so that the curve shows where
     * the loss starts to fall and where it blows up; the suggestion is then held to {@code [lrMin, lrMax]}.
     */
    public static final double WIDEN = 100;
    /** Minibatches per test: ~8 per decade of rate over the widened span of the default bounds. */
    public static final int STEPS = 50;
    /** Stands in for the rate while candidates are matched to their test (the rate is what the test decides). */
    private static final double UNDECIDED = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One test: what it trained (the candidate's configuration, rate undecided) and what it found. */
    public record Test(TrainConfig config, LrRangeTest.Curve curve, double rate) {
    }

    private RateFinder() {
    }

    /** The configurations a sweep trains, with the rate left undecided: one range test each. */
    static List<TrainConfig> untested(SweepSpec spec, TrainConfig base) {
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(
                new TrainConfigSpace(base, spec, undecided(), null), 1,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        Set<TrainConfig> configs = new LinkedHashSet<>();
        while (grid.hasMoreCandidates()) {
            configs.add((TrainConfig) grid.getCandidate().getValue());
        }
        return new ArrayList<>(configs);
    }

    /** The rate list of a space whose candidates take their rate from their test. */
    static List<Double> undecided() {
        return List.of(UNDECIDED);
    }

    /**
     * Runs (or reads back) the test of every configuration of the sweep in {@code dir}, each where {@code worker}
     * trains candidates, as many at once as it has slots: its rate, by configuration. Each line is printed as its
     * test ends (in that order with several slots).
     */
    static Map<TrainConfig, Double> findAll(SweepSpec spec, TrainConfig base, Path dir, PrintWriter out,
                                            CandidateWorker worker) {
        Map<TrainConfig, Test> done = read(dir);
        List<TrainConfig> configs = untested(spec, base);
        double start = spec.lrMin() / WIDEN;
        double end = spec.lrMax() * WIDEN;
        String where = worker.rangeTestsWhere();
        out.printf(Locale.ROOT, "learning-rate range tests: %d, each %d minibatches at rates from %.0e to %.0e (the "
                + "suggestion held to %.0e..%.0e)%s%n", configs.size(), STEPS, start, end, spec.lrMin(), spec.lrMax(),
                where.isEmpty() ? "" : ", " + where);
        AtomicInteger kept = new AtomicInteger(); // tests on disk, for the stop message
        List<Test> tests = Slots.inOrder(worker.slots(), IntStream.range(0, configs.size()).boxed().toList(), i -> {
            StopSignal.requested().ifPresent(signal -> {
                throw stopped(dir, signal, kept.get(), configs.size());
            });
            TrainConfig c = configs.get(i);
            Test test = done.get(c);
            if (test == null) {
                LrRangeTest.Curve curve;
                try {
                    curve = worker.rangeTest(c, start, end, STEPS);
                } catch (TrainingStoppedException e) { // a worker elsewhere stops within a test
                    throw stopped(dir, e.signal(), kept.get(), configs.size());
                }
                test = new Test(c, curve, Math.max(spec.lrMin(), Math.min(spec.lrMax(), curve.suggestion())));
                write(dir, i, test);
            }
            kept.incrementAndGet();
            out.println("  " + describe(test) + (done.containsKey(c) ? " (from an earlier start)" : ""));
            out.flush();
            return Optional.of(test);
        });
        Map<TrainConfig, Double> rates = new LinkedHashMap<>();
        tests.forEach(t -> rates.put(t.config(), t.rate()));
        return rates;
    }

    private static TrainingStoppedException stopped(Path dir, String signal, int kept, int tests) {
        return new TrainingStoppedException(signal, 0, "sweep " + dir + " stopped by " + signal + " during its range "
                + "tests (" + kept + " of " + tests + " kept): re-run the same command to resume it");
    }

    /** One line: what was tested, where the loss was lowest, what it suggests and what the candidate gets. */
    public static String describe(Test t) {
        LrRangeTest.Curve c = t.curve();
        String held = t.rate() != c.suggestion() ? String.format(Locale.ROOT, ", held to %.1e by --lr-min/--lr-max",
                t.rate()) : "";
        return String.format(Locale.ROOT, "%s: loss lowest at lr %.1e (%.3f, from %.3f)%s; suggests %.1e%s (%.1f s)",
                t.config().strategy(), c.rates().get(c.lowest()), c.losses().get(c.lowest()), c.losses().get(0),
                c.diverged() ? ", then diverges" : "", c.suggestion(), held, c.seconds());
    }

    /** The tests kept in sweep folder {@code dir}, by configuration, in the order they ran (empty: none). */
    public static Map<TrainConfig, Test> read(Path dir) {
        Map<TrainConfig, Test> tests = new LinkedHashMap<>();
        Path folder = dir.resolve("lr-find");
        if (!Files.isDirectory(folder)) {
            return tests;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Test t = JSON.readValue(f.toFile(), Test.class);
                tests.put(t.config(), t);
            }
            return tests;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the range tests in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path dir, int index, Test test) {
        Path file = dir.resolve("lr-find").resolve(String.format(Locale.ROOT, "t%02d.json", index));
        try {
            Files.createDirectories(file.getParent());
            AtomicFile.write(file, tmp -> JSON.writeValue(tmp.toFile(), test));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loss against rate, one line per test, its suggestion in the legend. */
    public static JFreeChart chart(Iterable<Test> tests) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Test t : tests) {
            XYSeries s = new XYSeries(String.format(Locale.ROOT, "%s (suggests %.1e)", t.config().strategy(),
                    t.curve().suggestion()), false, true);
            for (int i = 0; i < t.curve().rates().size(); i++) {
                s.add(t.curve().rates().get(i), t.curve().losses().get(i));
            }
            data.addSeries(s);
        }
        return Charts.lines("Learning-rate range tests", "learning rate", "training loss (smoothed)", data, true);
    }
}
