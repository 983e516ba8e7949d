package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import java.awt.image.BufferedImage;
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

    /**
     * Decodes an in-memory image at the input shape the way a file is decoded: drawn as BGR bytes (OpenCV's order,
     * the way GIFs are read too), then DataVec's own resizing and channel conversion.
     */
    public static DecodedImages decode(BufferedImage image, InputShape shape) {
        int size = DecodedImages.imageSize(shape);
        byte[] pixels = new byte[size];
        try {
            FolderDecoder.toBytes(new GifAwareImageLoader(shape.height(), shape.width(), shape.channels(), null)
                    .asMatrix(GifAwareImageLoader.bgr(image)), pixels, 0, size);
        } catch (IOException e) {
            throw new DataException("cannot convert the image: " + e.getMessage(), e);
        }
        return new DecodedImages(shape, pixels, new int[1]);
    }

    /** Decodes the files at the input shape (labels all 0), through the same DataVec reader as training. */
    public static DecodedImages decode(List<Path> files, InputShape shape) {
        List<Item> items = files.stream().map(p -> new Item(p.toAbsolutePath().toString(), 0, null)).toList();
        return new FolderDecoder().decode(items, shape);
    }
}
