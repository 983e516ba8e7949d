package dev.thaw.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Scans a folder of images with one subfolder per class, optionally already split into {@code train/},
 * {@code val/} and {@code test/} (each with the same class subfolders), and checks every file.
 *
 * <p>Class order is the sorted folder names, or the order of an optional {@code classes.txt} at the root (one
 * class per line: {@code folder} or {@code folder<TAB>display name}), which {@code thaw import} writes so that
 * Fashion-MNIST keeps its real names ("T-shirt/top") and its class numbers.
 */
public final class ImageFolder {

    public static final String CLASSES_FILE = "classes.txt";

    private ImageFolder() {
    }

    /**
     * @param strict fail, naming the first bad file, instead of skipping and reporting bad files
     */
    public static Dataset scan(Path root, boolean strict) {
        if (!Files.exists(root)) {
            throw new DataException("dataset folder " + root + " does not exist: check the --data path");
        }
        if (!Files.isDirectory(root)) {
            throw new DataException(root + " is a file, not a folder: pass the folder that holds one subfolder "
                    + "per class");
        }
        Map<Split, Path> splitDirs = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            Path d = root.resolve(s.folderName());
            if (Files.isDirectory(d)) {
                splitDirs.put(s, d);
            }
        }
        boolean presplit = splitDirs.containsKey(Split.TRAIN);
        if (!presplit) {
            splitDirs.clear();
            splitDirs.put(null, root);
        }

        List<SkippedFile> skipped = new ArrayList<>();
        TreeSet<String> folders = new TreeSet<>();
        for (Path dir : splitDirs.values()) {
            for (Path child : list(dir)) {
                if (Files.isDirectory(child) && !hidden(child)) {
                    folders.add(child.getFileName().toString());
                } else if (!child.getFileName().toString().equals(CLASSES_FILE) || !dir.equals(root)) {
                    skipped.add(new SkippedFile(child, Files.isDirectory(child) ? "hidden folder"
                            : "not inside a class folder"));
                }
            }
        }
        if (folders.isEmpty()) {
            throw new DataException(root + " has no class subfolders: put each class's images in "
                    + root.resolve("<class name>") + "/ (at least two classes)");
        }
        Map<String, String> display = classNames(root, folders);

        ImageCheck check = new ImageCheck();
        List<String> classes = new ArrayList<>();
        List<Item> items = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String folder : display.keySet()) {
            List<Item> classItems = new ArrayList<>();
            for (Map.Entry<Split, Path> s : splitDirs.entrySet()) {
                Path classDir = s.getValue().resolve(folder);
                for (Path file : files(classDir)) {
                    Optional<String> problem = check.problem(file);
                    if (problem.isPresent()) {
                        skipped.add(new SkippedFile(file, problem.get()));
                    } else {
                        classItems.add(new Item(file.toAbsolutePath().toString(), classes.size(), s.getKey()));
                    }
                }
            }
            if (classItems.isEmpty()) {
                notes.add("class folder '" + folder + "' has no usable images: left out");
                continue;
            }
            classes.add(display.get(folder));
            items.addAll(classItems);
        }
        skipped.sort((a, b) -> a.file().compareTo(b.file()));
        if (strict && !skipped.isEmpty()) {
            SkippedFile first = skipped.get(0);
            throw new DataException("--strict: " + first.file() + ": " + first.reason() + " (" + skipped.size()
                    + " bad file" + (skipped.size() == 1 ? "" : "s") + " in all; `thaw scan` lists them). Fix or "
                    + "remove them, or run without --strict to skip them.");
        }
        if (strict && !notes.isEmpty()) {
            throw new DataException("--strict: " + notes.get(0).replace(": left out", "") + ". Add images or remove "
                    + "the folder.");
        }
        return new Dataset(root.toString(), classes, items, skipped, notes, fingerprint(root, items),
                new FolderDecoder());
    }

    /** Folder name → display name, in class order. */
    private static Map<String, String> classNames(Path root, TreeSet<String> folders) {
        Map<String, String> names = new LinkedHashMap<>();
        Path listFile = root.resolve(CLASSES_FILE);
        if (Files.isRegularFile(listFile)) {
            try {
                for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] parts = line.split("\t", 2);
                    String folder = parts[0].strip();
                    if (folders.contains(folder)) {
                        names.put(folder, parts.length > 1 ? parts[1].strip() : folder);
                    }
                }
            } catch (IOException e) {
                throw new DataException("cannot read " + listFile + ": " + e.getMessage(), e);
            }
        }
        for (String f : folders) {
            names.putIfAbsent(f, f);
        }
        return names;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Every non-directory entry below a class folder, skipping hidden subfolders. */
    private static List<Path> files(Path classDir) {
        if (!Files.isDirectory(classDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(classDir)) {
            return s.filter(p -> !Files.isDirectory(p))
                    .filter(p -> classDir.relativize(p).getNameCount() == 1 || !hidden(p.getParent()))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot list " + classDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /** SHA-256 over each used file's relative path, size and modification time: changes when the data does. */
    private static String fingerprint(Path root, List<Item> items) {
        try {
            MessageDigest md = Sha256.digest();
            for (Item item : items) {
                Path p = Path.of(item.id());
                String line = root.toAbsolutePath().relativize(p) + "|" + item.label() + "|" + Files.size(p) + "|"
                        + Files.getLastModifiedTime(p).toMillis() + "\n";
                md.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return "sha256:" + Sha256.hex(md, 16);
        } catch (IOException e) {
            throw new DataException("cannot read " + root + " while fingerprinting it: " + e.getMessage(), e);
        }
    }
}
