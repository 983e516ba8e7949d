package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Decoded images at one input shape, as raw 0–255 bytes in CHW order: image i occupies
 * {@code [i*C*H*W, (i+1)*C*H*W)} of {@link #pixels()}.
 *
 * <p>Bytes, not an ND4J float array, because this is what the decode cache keeps for the length of a run: a quarter of
 * the memory, and no off-heap allocation to manage. Batches are converted to floats as they are served.
 */
public record DecodedImages(InputShape shape, byte[] pixels, int[] labels) {

    public DecodedImages {
        if (pixels.length != (long) labels.length * imageSize(shape)) {
            throw new IllegalArgumentException("pixel buffer does not match " + labels.length + " images of " + shape);
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageSize() {
        return imageSize(shape);
    }

    static int imageSize(InputShape shape) {
        return shape.channels() * shape.height() * shape.width();
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(shape.channels());
        out.writeInt(shape.height());
        out.writeInt(shape.width());
        out.writeInt(labels.length);
        for (int label : labels) {
            out.writeInt(label);
        }
        out.write(pixels);
    }

    static DecodedImages read(DataInputStream in) throws IOException {
        InputShape shape = new InputShape(in.readInt(), in.readInt(), in.readInt());
        int[] labels = new int[in.readInt()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = in.readInt();
        }
        byte[] pixels = new byte[labels.length * imageSize(shape)];
        in.readFully(pixels);
        return new DecodedImages(shape, pixels, labels);
    }
}
