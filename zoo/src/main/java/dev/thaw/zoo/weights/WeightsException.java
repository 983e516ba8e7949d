package dev.thaw.zoo.weights;

/**
 * Weights could not be had from a source. The message is meant for the user as is: it names the file or URL,
 * what was wrong, and what to do about it.
 */
public class WeightsException extends RuntimeException {
    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
