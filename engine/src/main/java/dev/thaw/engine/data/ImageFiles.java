package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Loose image files to predict on: one file or every image under a folder, checked like a dataset scan. */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** Usable images at {@code path} (a file, or a folder searched recursively); bad ones go to {@code skipped}. */
    public static List<Path> collect(Path path, List<SkippedFile> skipped) {
        if (!Files.exists(path)) {
            throw new DataException(path + " does not exist: pass an image file or a folder of images");
        }
        List<Path> candidates;
        try (Stream<Path> s = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
            candidates = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + path + ": " + e.getMessage(), e);
        }
        ImageCheck check = new ImageCheck();
        List<Path> good = new ArrayList<>();
        for (Path p : candidates) {
            Optional<String> problem = check.problem(p);
            if (problem.isPresent()) {
                skipped.add(new SkippedFile(p, problem.get()));
            } else {
                good.add(p);
            }
        }
        return good;
    }

    /** Decodes the files at the input shape (labels all 0), through the same DataVec reader as training. */
    public static DecodedImages decode(List<Path> files, InputShape shape) {
        List<Item> items = files.stream().map(p -> new Item(p.toAbsolutePath().toString(), 0, null)).toList();
        return new FolderDecoder().decode(items, shape);
    }
}
