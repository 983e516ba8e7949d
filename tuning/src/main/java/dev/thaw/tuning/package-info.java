/**
 * Sweeps over freeze depth × learning rate with Arbiter (not yet built: see the tuning issue). The module exists so
 * the reactor and its Arbiter-on-M2.1 dependency set resolve and compile from the start.
 */
package dev.thaw.tuning;
