package dev.thaw.engine.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;

import dev.thaw.zoo.InputShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;
import org.datavec.image.transform.CropImageTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.datavec.image.transform.ResizeImageTransform;
import org.datavec.image.transform.RotateImageTransform;

/**
 * Training-only image augmentation built from DataVec's {@link ImageTransform}s, off unless asked for.
 *
 * <p>Written as {@code --augment flip,crop,rotate} (any subset, any order; {@code crop=0.2}, {@code rotate=15}
 * set the strength). Each image gets its own {@link Random} derived from (seed, epoch, position), so an augmented
 * epoch is the same on every run with the same seed, whichever thread prepares it. DataVec's own
 * {@code PipelineImageTransform} and {@code RandomCropTransform} draw from ND4J's per-thread generator instead,
 * which a prefetch thread never seeds; that is why the composition is done here.
 */
public final class Augmentation {

    public static final Augmentation NONE = new Augmentation(List.of(), "none");

    private record Step(String name, double probability, ImageTransform transform, boolean randomized) {
    }

    private final List<Step> steps;
    private final String spec;

    private Augmentation(List<Step> steps, String spec) {
        this.steps = List.copyOf(steps);
        this.spec = spec;
    }

    /** Reads {@code flip,crop[=fraction],rotate[=degrees]} for an input shape; blank or {@code none} is none. */
    public static Augmentation parse(String spec, InputShape shape) {
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return NONE;
        }
        List<Step> steps = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String[] kv = raw.strip().toLowerCase().split("=", 2);
            String name = kv[0];
            double value;
            try {
                value = kv.length > 1 ? Double.parseDouble(kv[1]) : Double.NaN;
            } catch (NumberFormatException e) {
                throw new DataException("--augment " + spec + ": '" + raw + "' needs a number after '='");
            }
            switch (name) {
                case "flip" -> steps.add(new Step("flip", 0.5, new FlipImageTransform(1), false));
                case "crop" -> {
                    double f = Double.isNaN(value) ? 0.125 : value;
                    if (f <= 0 || f >= 0.5) {
                        throw new DataException("--augment crop=" + f + ": the crop fraction must be in (0, 0.5)");
                    }
                    int dy = Math.max(1, (int) Math.round(shape.height() * f / 2));
                    int dx = Math.max(1, (int) Math.round(shape.width() * f / 2));
                    steps.add(new Step("crop=" + f, 1, new CropImageTransform(null, dy, dx, dy, dx), true));
                    steps.add(new Step("resize", 1, new ResizeImageTransform(shape.width(), shape.height()), false));
                }
                case "rotate" -> {
                    double deg = Double.isNaN(value) ? 10 : value;
                    steps.add(new Step("rotate=" + deg, 1, new RotateImageTransform(null, (float) deg), true));
                }
                default -> throw new DataException("--augment " + spec + ": unknown augmentation '" + name
                        + "'; use any of flip, crop[=fraction], rotate[=degrees]");
            }
        }
        return new Augmentation(steps, steps.stream().map(Step::name).filter(n -> !n.equals("resize"))
                .collect(Collectors.joining(",")));
    }

    public boolean isNone() {
        return steps.isEmpty();
    }

    @Override
    public String toString() {
        return spec;
    }

    /** The generator for one image of one epoch: reproducible from the seed alone. */
    static Random randomFor(long seed, int epoch, int position) {
        return new Random(seed * 1_000_003L + epoch * 7_919L + position);
    }

    /** Augments image {@code index} of a CHW byte buffer in place. */
    void apply(byte[] pixels, int offset, InputShape shape, Random random, OpenCVFrameConverter.ToMat converter) {
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        byte[] hwc = new byte[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                hwc[p * c + ch] = pixels[offset + ch * h * w + p];
            }
        }
        try (Mat mat = new Mat(h, w, CV_8UC(c))) {
            mat.data().put(hwc);
            ImageWritable image = transform(new ImageWritable(converter.convert(mat)), random);
            Mat out = converter.convert(image.getFrame());
            Mat dense = out.isContinuous() ? out : out.clone();
            dense.data().get(hwc);
        }
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                pixels[offset + ch * h * w + p] = hwc[p * c + ch];
            }
        }
    }

    private ImageWritable transform(ImageWritable image, Random random) {
        for (Step s : steps) {
            if (s.probability() >= 1 || random.nextDouble() < s.probability()) {
                image = s.randomized() ? s.transform().transform(image, random) : s.transform().transform(image);
            }
        }
        return image;
    }

    /**
     * The same augmentation as one DataVec {@link ImageTransform}, for readers that decode and transform in one go
     * (the streaming path). Images arrive in a fixed order from one reader thread, so one generator per epoch is
     * reproducible.
     */
    ImageTransform asImageTransform(long seed, int epoch) {
        Random random = randomFor(seed, epoch, -1);
        return new BaseImageTransform<Mat>(random) {
            @Override
            protected ImageWritable doTransform(ImageWritable image, Random r) {
                return image == null ? null : transform(image, random);
            }

            @Override
            public float[] query(float... coordinates) {
                return coordinates;
            }
        };
    }
}
