package dev.thaw.engine.train;

/** The loss became NaN or infinite; the message says where, what to change, and which checkpoint is intact. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
