package dev.thaw.zoo;

/**
 * A named place in a backbone up to which its weights can be frozen.
 *
 * <p>Freezing at a point freezes the point's vertex and everything that feeds it (DL4J's
 * {@code setFeatureExtractor} semantics). Depth counts points from the input: depth 0 ({@link #NONE}) freezes
 * nothing, depth 1 is the first block, the deepest point freezes all but the head.
 *
 * @param depth  position among the backbone's freeze points, 1-based; 0 for {@link #NONE}
 * @param name   what a user types, e.g. {@code block3} or {@code res4}
 * @param vertex the DL4J vertex name the point maps onto; {@code null} for {@link #NONE}
 */
public record FreezePoint(int depth, String name, String vertex) {

    /** Nothing frozen: every layer trains. */
    public static final FreezePoint NONE = new FreezePoint(0, "none", null);

    public boolean isNone() {
        return depth == 0;
    }

    @Override
    public String toString() {
        return isNone() ? "none (depth 0)" : name + " (depth " + depth + ", vertex " + vertex + ")";
    }
}
