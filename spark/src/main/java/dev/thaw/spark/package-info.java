/**
 * Thaw on Apache Spark: sweeps whose candidates run as Spark tasks ({@code sweep --spark}), featurization and
 * training of the trainable part on a cluster. A module of its own so that no local user's classpath holds Spark
 * (see its pom); the engine and tuning find it through {@code META-INF/services}.
 */
package dev.thaw.spark;
