/**
 * Scores of a classifier on a split: accuracy, top-k, macro-F1, per-class precision and recall, confusion matrix.
 */
package dev.thaw.engine.eval;
