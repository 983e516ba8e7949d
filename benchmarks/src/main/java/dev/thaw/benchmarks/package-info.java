/**
 * Benchmark entry points ({@code mvn -q compile exec:exec@bench -Dbench=NAME}) and JMH benchmarks: training steps
 * against PyTorch, the data pipeline, the feature cache, sweeps. Each states what it measures in its class comment
 * and writes its report under {@code benchmarks/results}.
 */
package dev.thaw.benchmarks;
