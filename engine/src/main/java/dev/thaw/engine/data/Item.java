package dev.thaw.engine.data;

/**
 * One usable image of a dataset and its class.
 *
 * @param id       where it comes from: an absolute file path, or {@code idx:N} for the N-th image of an IDX file
 * @param label    class index into the dataset's class list
 * @param presplit the split its folder (or IDX file) assigns it to, or null when the dataset is not pre-split
 */
public record Item(String id, int label, Split presplit) {

    Item withLabel(int newLabel) {
        return new Item(id, newLabel, presplit);
    }
}
