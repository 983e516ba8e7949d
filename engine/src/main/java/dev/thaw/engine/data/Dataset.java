package dev.thaw.engine.data;

import java.util.List;

/**
 * A dataset after scanning: its classes, the images that can be used, what was left out and why, and how to turn
 * items into pixels. Nothing is decoded until a pipeline asks for it.
 *
 * @param name        what the user pointed at, for reports
 * @param classes     class names in label order
 * @param items       usable images, each with its label and any split its location assigns
 * @param skipped     files left out, each with its reason
 * @param notes       other things left out or assumed (empty class folders, …), one sentence each
 * @param fingerprint identifies the exact data (paths, sizes and times of files, or IDX content)
 * @param decoder     turns items into pixels
 */
public record Dataset(String name, List<String> classes, List<Item> items, List<SkippedFile> skipped,
                      List<String> notes, String fingerprint, ItemDecoder decoder) {

    public Dataset {
        classes = List.copyOf(classes);
        items = List.copyOf(items);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    public boolean isPresplit() {
        return items.stream().anyMatch(i -> i.presplit() != null);
    }
}
