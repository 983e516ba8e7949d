package dev.thaw.zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A backbone's ordered freeze points, and the one place that turns what a user typed into one of them.
 *
 * <p>Exists because DL4J silently freezes nothing when given a vertex name it does not know: every name or depth
 * goes through {@link #resolve(String)}, which fails with the valid choices instead.
 */
public final class FreezePoints {

    private final String backbone;
    private final List<FreezePoint> points;

    /** @param vertices vertex names in order from input to head, one per entry of {@code names} */
    public FreezePoints(String backbone, List<String> names, List<String> vertices) {
        if (names.size() != vertices.size()) {
            throw new IllegalArgumentException("one vertex per freeze point name needed");
        }
        List<FreezePoint> list = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            list.add(new FreezePoint(i + 1, names.get(i), vertices.get(i)));
        }
        this.backbone = backbone;
        this.points = List.copyOf(list);
    }

    /** The points in order from the input, without {@link FreezePoint#NONE}. */
    public List<FreezePoint> list() {
        return points;
    }

    /** The deepest point: freezing there trains the head only. */
    public FreezePoint deepest() {
        return points.get(points.size() - 1);
    }

    public int maxDepth() {
        return points.size();
    }

    public FreezePoint atDepth(int depth) {
        if (depth == 0) {
            return FreezePoint.NONE;
        }
        if (depth < 0 || depth > points.size()) {
            throw new UnknownFreezePointException("freeze depth " + depth + " is out of range for " + backbone
                    + ": use 0 (nothing frozen) to " + points.size() + " (all but the head). " + choices());
        }
        return points.get(depth - 1);
    }

    /**
     * Resolves a name ({@code block3}), a depth ({@code 3}), {@code none} (depth 0) or {@code head} (the deepest
     * point, all but the head frozen). Case-insensitive.
     */
    public FreezePoint resolve(String nameOrDepth) {
        String key = nameOrDepth.trim().toLowerCase();
        if (key.matches("-?\\d+")) {
            return atDepth(Integer.parseInt(key));
        }
        if (key.equals("none")) {
            return FreezePoint.NONE;
        }
        if (key.equals("head")) {
            return deepest();
        }
        for (FreezePoint p : points) {
            if (p.name().equalsIgnoreCase(key)) {
                return p;
            }
        }
        throw new UnknownFreezePointException("unknown freeze point '" + nameOrDepth + "' for " + backbone + ". "
                + choices());
    }

    /** One line naming every valid choice, for error messages and {@code --help}. */
    public String choices() {
        return "Valid freeze points: none (0), " + points.stream()
                .map(p -> p.name() + " (" + p.depth() + ")")
                .collect(Collectors.joining(", ")) + "; 'head' = " + deepest().name() + ".";
    }
}
