package dev.thaw.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a dataset's classes to use, as the user wrote it for {@code --classes}: index ranges and lists
 * ({@code 5-9}, {@code 0,2,4}) or class names ({@code Sandal,Shirt}), mixed freely; empty means all.
 */
public final class ClassSelection {

    private ClassSelection() {
    }

    /** @return the selected class indices, in the dataset's class order */
    public static List<Integer> resolve(String spec, List<String> classes) {
        if (spec == null || spec.isBlank()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < classes.size(); i++) {
                all.add(i);
            }
            return all;
        }
        Set<Integer> chosen = new LinkedHashSet<>();
        for (String raw : spec.split(",")) {
            String part = raw.strip();
            int byName = indexOfName(part, classes);
            if (byName >= 0) {
                chosen.add(byName);
            } else if (part.matches("\\d+")) {
                chosen.add(checkIndex(Integer.parseInt(part), spec, classes));
            } else if (part.matches("\\d+\\s*-\\s*\\d+")) {
                String[] ends = part.split("-");
                int from = checkIndex(Integer.parseInt(ends[0].strip()), spec, classes);
                int to = checkIndex(Integer.parseInt(ends[1].strip()), spec, classes);
                for (int i = Math.min(from, to); i <= Math.max(from, to); i++) {
                    chosen.add(i);
                }
            } else {
                throw new DataException("--classes " + spec + ": '" + part + "' is neither a class number, a range "
                        + "such as 5-9, nor a class name. Classes: " + numbered(classes));
            }
        }
        return chosen.stream().sorted().toList();
    }

    private static int indexOfName(String name, List<String> classes) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int checkIndex(int index, String spec, List<String> classes) {
        if (index >= classes.size()) {
            throw new DataException("--classes " + spec + ": class " + index + " does not exist, the dataset has "
                    + classes.size() + " (0-" + (classes.size() - 1) + "): " + numbered(classes));
        }
        return index;
    }

    static String numbered(List<String> classes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < classes.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(i).append('=').append(classes.get(i));
        }
        return sb.toString();
    }
}
