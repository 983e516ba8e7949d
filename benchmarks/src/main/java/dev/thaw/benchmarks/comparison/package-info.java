/**
 * Freeze strategies compared on the FMNIST-AB protocol ({@link dev.thaw.benchmarks.comparison.StrategyComparison},
 * with the PyTorch peer in the same invocation) and Thaw's sweep against the loop a PyTorch user writes
 * ({@link dev.thaw.benchmarks.comparison.SweepVsPeer}).
 */
package dev.thaw.benchmarks.comparison;
