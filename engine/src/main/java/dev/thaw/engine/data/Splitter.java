package dev.thaw.engine.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Cuts a dataset into train/val/test by a {@link SplitPlan}: stratified (every class in every split, in proportion),
 * deterministic in the seed, independent of the order files were listed in.
 */
public final class Splitter {

    private Splitter() {
    }

    public static DataSplits split(Dataset dataset, SplitPlan plan) {
        List<Integer> selected = ClassSelection.resolve(plan.classes(), dataset.classes());
        if (selected.size() < 2) {
            throw new DataException(dataset.name() + (dataset.classes().size() < 2 ? " has" : ": the selection has")
                    + " only one class (" + dataset.classes().get(selected.get(0)) + "): transfer learning needs at "
                    + "least two, add another class folder or widen --classes");
        }
        List<String> labels = new ArrayList<>();
        Map<Split, List<Item>> parts = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            parts.put(s, new ArrayList<>());
        }
        for (int newLabel = 0; newLabel < selected.size(); newLabel++) {
            int oldLabel = selected.get(newLabel);
            String name = dataset.classes().get(oldLabel);
            labels.add(name);
            List<Item> items = new ArrayList<>();
            for (Item i : dataset.items()) {
                if (i.label() == oldLabel) {
                    items.add(i.withLabel(newLabel));
                }
            }
            // Sorted first so the draw depends on the seed and the files, never on listing order.
            items.sort(Comparator.comparing(Item::id));
            Collections.shuffle(items, new Random(plan.seed() * 31 + name.hashCode()));
            Map<Split, List<Item>> cut = cutClass(items, plan, name, dataset);
            for (Split s : Split.values()) {
                parts.get(s).addAll(cut.get(s));
            }
        }
        return new DataSplits(dataset, plan, labels, parts);
    }

    private static Map<Split, List<Item>> cutClass(List<Item> items, SplitPlan plan, String name, Dataset dataset) {
        Map<Split, List<Item>> cut = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            cut.put(s, new ArrayList<>());
        }
        List<Item> pool = new ArrayList<>();
        for (Item i : items) {
            (i.presplit() == null || i.presplit() == Split.TRAIN ? pool : cut.get(i.presplit())).add(i);
        }
        // Held-out parts the data does not already provide are carved from the pool, at least one image each. A
        // validation cap keeps the first images of the carved (or given) validation part and hands the rest to
        // training, after the images training had anyway: the test part and a --per-class draw stay as without it.
        int wantVal = cut.get(Split.VAL).isEmpty() ? holdOut(items.size(), plan.valFraction()) : 0;
        int wantTest = cut.get(Split.TEST).isEmpty() ? holdOut(items.size(), plan.testFraction()) : 0;
        int needed = wantVal + wantTest + 1;
        if (pool.size() < needed) {
            throw new DataException("class '" + name + "' has " + pool.size() + " usable training image"
                    + (pool.size() == 1 ? "" : "s") + " in " + dataset.name() + " but the split needs at least "
                    + needed + " (1 train, " + wantVal + " val, " + wantTest + " test): add images, or lower --val/"
                    + "--test (0 turns a split off)");
        }
        int keepVal = plan.valPerClass() > 0 ? Math.min(wantVal, plan.valPerClass()) : wantVal;
        cut.get(Split.VAL).addAll(pool.subList(0, keepVal));
        if (plan.valPerClass() > 0 && cut.get(Split.VAL).size() > plan.valPerClass()) {
            cut.get(Split.VAL).subList(plan.valPerClass(), cut.get(Split.VAL).size()).clear();
        }
        cut.get(Split.TEST).addAll(pool.subList(wantVal, wantVal + wantTest));
        List<Item> train = new ArrayList<>(pool.subList(wantVal + wantTest, pool.size()));
        train.addAll(pool.subList(keepVal, wantVal));
        if (plan.perClass() > 0) {
            if (plan.perClass() > train.size()) {
                throw new DataException("--per-class " + plan.perClass() + " but class '" + name + "' has only "
                        + train.size() + " training images after the split: use --per-class " + train.size()
                        + " or less, or add images");
            }
            train = train.subList(0, plan.perClass());
        }
        cut.get(Split.TRAIN).addAll(train);
        return cut;
    }

    private static int holdOut(int classSize, double fraction) {
        return fraction <= 0 ? 0 : Math.max(1, (int) Math.round(classSize * fraction));
    }
}
