package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.FreezePoint;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory;

/**
 * What a sweep searches and how: the search space over a base training configuration, the search method, and when
 * to stop. Written by flags or as a YAML/JSON file ({@code sweep --file sweep.yaml}); field names are the same.
 *
 * @param freeze      freeze points to try: {@code full} (nothing frozen), point names or depths, {@code head}
 * @param lrMin       smallest learning rate (sampled log-uniformly; grid: evenly in log space)
 * @param lrMax       largest learning rate
 * @param strategies  strategy kinds to try: {@code freeze}, {@code two-phase}, {@code discriminative}
 * @param updaters    {@code adam} and/or {@code sgd}
 * @param batchSizes  minibatch sizes to try
 * @param headWidths  widths of a new dense layer before the output to try (0: the backbone's own head); empty:
 *                    the base configuration's {@code --head-width}
 * @param dropouts    dropout probabilities of that dense layer to try; empty: the base configuration's
 *                    {@code --dropout}
 * @param epochs      epochs per candidate (for successive halving: the most a candidate gets)
 * @param search      {@code grid}, {@code random} or {@code find}: a learning-rate range test per freeze point
 *                    (times the other searched values) picks each one's rate within {@code [lrMin, lrMax]}, and
 *                    each trains once, at that rate
 * @param gridLrCount learning rates per freeze point on a grid
 * @param maxCandidates stop after this many candidates (Arbiter's MaxCandidatesCondition)
 * @param maxMinutes  stop starting candidates after this long (Arbiter's MaxTimeCondition); 0: no limit
 * @param seed        seed of the search itself
 * @param halvingEta  successive halving: keep the best 1/eta of each rung and give them eta times the epochs;
 *                    0 turns halving off
 * @param minEpochs   successive halving: epochs in the first rung
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SweepSpec(List<String> freeze, double lrMin, double lrMax, List<String> strategies,
                        List<String> updaters, List<Integer> batchSizes,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> headWidths,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Double> dropouts, int epochs, String search,
                        int gridLrCount, int maxCandidates, double maxMinutes, long seed, int halvingEta, int minEpochs) {

    public SweepSpec {
        freeze = List.copyOf(freeze);
        strategies = strategies == null || strategies.isEmpty() ? List.of("freeze") : List.copyOf(strategies);
        updaters = updaters == null || updaters.isEmpty() ? List.of("adam") : List.copyOf(updaters);
        batchSizes = batchSizes == null || batchSizes.isEmpty() ? List.of(32) : List.copyOf(batchSizes);
        // Empty, not a default value: the base configuration decides, and sweep.json of a sweep that does not
        // search these stays as it was before they existed, so such sweeps still resume.
        headWidths = headWidths == null ? List.of() : List.copyOf(headWidths);
        dropouts = dropouts == null ? List.of() : List.copyOf(dropouts);
        if (headWidths.stream().anyMatch(w -> w < 0)) {
            throw new IllegalArgumentException("head widths must be 0 (backbone's own head) or more, got "
                    + headWidths);
        }
        if (dropouts.stream().anyMatch(d -> !(d >= 0 && d < 1))) {
            throw new IllegalArgumentException("dropouts must be in [0, 1), got " + dropouts);
        }
        search = search == null ? "grid" : search.toLowerCase();
        if (!List.of("grid", "random", "find").contains(search)) {
            throw new IllegalArgumentException("search must be grid, random or find, got " + search);
        }
        if (!(lrMin > 0) || lrMax < lrMin) {
            throw new IllegalArgumentException("need 0 < lrMin <= lrMax, got " + lrMin + " and " + lrMax);
        }
        if (halvingEta == 1 || halvingEta < 0) {
            throw new IllegalArgumentException("halvingEta must be 0 (off) or at least 2, got " + halvingEta);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1");
        }
    }

    /**
     * The common sweep: every freeze point × {@code lrCount} learning rates log-spaced from {@code lrMin} to
     * {@code lrMax}, {@code epochs} each, strategy kind {@code freeze}, Adam, batch 32, no halving. Vary the rest
     * through the constructor (or a sweep file, {@link #read}).
     */
    public static SweepSpec grid(List<String> freeze, double lrMin, double lrMax, int lrCount, int epochs) {
        return new SweepSpec(freeze, lrMin, lrMax, null, null, null, null, null, epochs, "grid", lrCount, 0, 0, 1, 0,
                1);
    }

    /**
     * Every freeze point of {@code backbone}, most trained first: {@code full}, its named points, {@code head} (its
     * deepest point).
     */
    public static List<String> everyFreezePoint(Backbone backbone) {
        List<String> points = new ArrayList<>(List.of("full"));
        for (FreezePoint p : backbone.freezePoints().list()) {
            points.add(p.equals(backbone.freezePoints().deepest()) ? "head" : p.name());
        }
        return points;
    }

    /** The learning rates a grid search tries: {@code gridLrCount} of them, evenly spaced in log space. */
    public List<Double> gridLearningRates() {
        return TrainConfigSpace.logGrid(lrMin, lrMax, Math.max(1, gridLrCount));
    }

    /** Reads a sweep file (YAML or JSON). */
    public static SweepSpec read(Path file) {
        ObjectMapper mapper = file.toString().endsWith(".json") ? new ObjectMapper()
                : new ObjectMapper(new YAMLFactory());
        try {
            return mapper.readValue(file.toFile(), SweepSpec.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read sweep file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Everything but the searched values, as a base configuration to vary. Patience equal to the epoch budget never
     * stops a candidate early (that would blur the budgets halving compares) but keeps its best validation epoch as
     * its model: validation accuracy on a small split moves several points from epoch to epoch, so ranking by the
     * last epoch ranks by noise (a candidate at 0.86 in its 8th epoch could end at 0.78 in its 9th).
     */
    TrainConfig.Builder baseOf(TrainConfig base) {
        return base.toBuilder().patience(epochs).name(null);
    }
}
