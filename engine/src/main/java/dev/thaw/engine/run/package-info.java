/**
 * The one-call API: a {@link dev.thaw.engine.run.TrainConfig} in, {@link dev.thaw.engine.run.FineTune#run} trains,
 * evaluates and saves a run folder; {@link dev.thaw.engine.run.Predictor} classifies images with a trained run;
 * {@link dev.thaw.engine.run.RunEvaluation} scores one after the fact. Everything below it stays public in the
 * {@code data}, {@code train} and {@code eval} packages.
 */
package dev.thaw.engine.run;
