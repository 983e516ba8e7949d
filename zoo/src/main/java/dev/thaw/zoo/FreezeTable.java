package dev.thaw.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Parameter counts for every freeze depth of a built backbone: what {@code inspect} prints and what a user reads
 * to decide how much to freeze.
 */
public record FreezeTable(String backbone, InputShape input, long totalParams, List<Row> rows) {

    /**
     * @param blockParams parameters between the previous point (exclusive) and this one (inclusive)
     * @param frozen      parameters frozen when freezing at this point
     * @param trainable   parameters left to train
     */
    public record Row(FreezePoint point, long blockParams, long frozen, long trainable) {
    }

    public static FreezeTable of(Backbone backbone, InputShape input, ComputationGraph graph) {
        GraphParts parts = new GraphParts(graph);
        long total = parts.totalParams();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(FreezePoint.NONE, 0, 0, total));
        long previous = 0;
        for (FreezePoint p : backbone.freezePoints().list()) {
            Set<String> frozen = parts.frozenBy(p);
            long frozenParams = parts.params(frozen);
            rows.add(new Row(p, frozenParams - previous, frozenParams, total - frozenParams));
            previous = frozenParams;
        }
        return new FreezeTable(backbone.name(), input, total, List.copyOf(rows));
    }

    /** Parameters after the deepest freeze point: the head that always trains. */
    public long headParams() {
        return rows.get(rows.size() - 1).trainable();
    }

    /** A fixed-width text table, one row per depth plus the head. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s at %s: %,d parameters%n", backbone, input, totalParams));
        String fmt = "%-5s  %-9s  %-16s  %14s  %14s  %14s%n";
        sb.append(String.format(fmt, "depth", "freeze at", "vertex", "block params", "frozen", "trainable"));
        for (Row r : rows) {
            FreezePoint p = r.point();
            sb.append(String.format(fmt, p.depth(), p.name(), p.isNone() ? "-" : p.vertex(),
                    p.isNone() ? "-" : String.format("%,d", r.blockParams()),
                    String.format("%,d", r.frozen()), String.format("%,d", r.trainable())));
        }
        sb.append(String.format(fmt, "", "(head)", "", String.format("%,d", headParams()), "", ""));
        return sb.toString();
    }
}
