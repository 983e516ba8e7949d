package dev.thaw.engine.data;

/** The three parts of a dataset. Folder names {@code train/}, {@code val/}, {@code test/} select them. */
public enum Split {
    TRAIN, VAL, TEST;

    public String folderName() {
        return name().toLowerCase();
    }
}
