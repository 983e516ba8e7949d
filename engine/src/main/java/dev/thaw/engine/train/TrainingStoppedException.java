package dev.thaw.engine.train;

/** Training stopped on request ({@link StopSignal}) with every finished epoch in the checkpoint. */
public final class TrainingStoppedException extends RuntimeException {

    private final String signal;
    private final int completedEpochs;

    public TrainingStoppedException(String signal, int completedEpochs, String message) {
        super(message);
        this.signal = signal;
        this.completedEpochs = completedEpochs;
    }

    /** What asked to stop, e.g. {@code SIGTERM}. */
    public String signal() {
        return signal;
    }

    /** Epochs in the checkpoint: the run resumes after them. */
    public int completedEpochs() {
        return completedEpochs;
    }

    /** The shell's exit code for the signal: 128 + its number (130 for SIGINT, 143 for SIGTERM), else 1. */
    public int exitCode() {
        return switch (signal) {
            case "SIGINT" -> 130;
            case "SIGTERM" -> 143;
            default -> 1;
        };
    }
}
