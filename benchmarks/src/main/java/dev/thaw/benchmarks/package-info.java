/**
 * JMH benchmarks and freeze-strategy reports (not yet built: see the benchmarks issue). The module exists so the
 * reactor, JMH's annotation processor and the {@code cuda} profile resolve and compile from the start.
 */
package dev.thaw.benchmarks;
