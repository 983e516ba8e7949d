package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import java.util.List;

/** Turns a dataset's items into raw pixels at the network's input shape. */
public interface ItemDecoder {

    /** Decodes {@code items} in order, resized and channel-converted to {@code shape}. */
    DecodedImages decode(List<Item> items, InputShape shape);
}
