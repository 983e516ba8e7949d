package dev.thaw.engine.run;

import java.util.List;

/**
 * What a trained model says about one image.
 *
 * @param source        the image's file, or {@code "image"} for an in-memory one
 * @param label         the most probable class
 * @param probability   its probability
 * @param probabilities every class's probability, in the order of {@link Predictor#labels()}
 */
public record Prediction(String source, String label, double probability, List<Double> probabilities) {

    public Prediction {
        probabilities = List.copyOf(probabilities);
    }
}
