/**
 * Sweeps over freeze point × learning rate (and strategy kind, updater, batch size, head), searched by Arbiter:
 * {@link dev.thaw.tuning.Sweep#run} with a {@link dev.thaw.tuning.SweepSpec}; resumable from its results log, with
 * successive halving, a report and the best run exported. {@code thaw sweep} is {@link dev.thaw.tuning.SweepCommand}.
 */
package dev.thaw.tuning;
