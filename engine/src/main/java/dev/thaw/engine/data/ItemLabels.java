package dev.thaw.engine.data;

import java.io.File;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datavec.api.io.labels.PathLabelGenerator;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.Writable;

/**
 * Labels for DataVec's {@code ImageRecordReader} from Thaw's own class list. DataVec's
 * {@code ParentPathLabelGenerator} would number the classes present in each split alphabetically, so a split missing
 * a class, a class selection or a {@code classes.txt} order would shift every label; here each file carries the
 * index decided by the scan.
 */
final class ItemLabels implements PathLabelGenerator {

    private final Map<String, Integer> labels = new HashMap<>();

    ItemLabels(List<Item> items) {
        for (Item i : items) {
            labels.put(new File(i.id()).getAbsolutePath(), i.label());
        }
    }

    @Override
    public Writable getLabelForPath(String path) {
        Integer label = labels.get(new File(path).getAbsolutePath());
        if (label == null) {
            throw new IllegalStateException("no label for " + path);
        }
        return new IntWritable(label);
    }

    @Override
    public Writable getLabelForPath(URI uri) {
        return getLabelForPath(new File(uri).getPath());
    }

    @Override
    public boolean inferLabelClasses() {
        return false;
    }
}
