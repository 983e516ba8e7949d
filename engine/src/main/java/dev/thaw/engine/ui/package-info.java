/**
 * DL4J's training UI for Thaw runs: every run records DL4J statistics into its folder ({@link StatsFile},
 * {@link StatsRecorder}), and {@link UiServer} serves DL4J's UI for them, live or after the fact, bound to loopback
 * unless asked otherwise.
 */
package dev.thaw.engine.ui;
