package dev.thaw.zoo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of one input image as the network sees it: channels × height × width (NCHW order, like DL4J).
 *
 * <p>Written and parsed as {@code 3x64x64}; a bare size such as {@code 64} means {@code 3x64x64}.
 */
public record InputShape(int channels, int height, int width) {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)x(\\d+)x(\\d+)|(\\d+)");

    public InputShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("input channels must be 1 (gray) or 3 (RGB), got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("input height and width must be positive, got " + height + "x" + width);
        }
    }

    /** A square RGB input of the given side. */
    public static InputShape rgb(int size) {
        return new InputShape(3, size, size);
    }

    /** Parses {@code CxHxW} (e.g. {@code 3x64x64}) or a single side length for a square RGB input. */
    public static InputShape parse(String text) {
        Matcher m = FORMAT.matcher(text.trim().toLowerCase());
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot read input shape '" + text
                    + "': write it as CxHxW, e.g. 3x64x64, or as one side length, e.g. 64");
        }
        if (m.group(4) != null) {
            return rgb(Integer.parseInt(m.group(4)));
        }
        return new InputShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** The smaller of height and width: what decides whether a backbone's pooling stages still fit. */
    public int minSide() {
        return Math.min(height, width);
    }

    /** {@code [channels, height, width]}, the form DL4J's zoo models take. */
    public int[] toArray() {
        return new int[] {channels, height, width};
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
