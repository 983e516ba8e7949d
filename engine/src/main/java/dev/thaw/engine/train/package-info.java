/**
 * Training: freeze {@link dev.thaw.engine.train.Strategy strategies} as {@link dev.thaw.engine.train.Phase phases},
 * the {@link dev.thaw.engine.train.Trainer} that runs them (from the {@link dev.thaw.engine.train.FeatureCache}
 * where a prefix is frozen), checkpoints, learning rates and {@link dev.thaw.engine.train.TrainingListener}s.
 */
package dev.thaw.engine.train;
