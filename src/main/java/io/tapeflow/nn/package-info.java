/**
 * Neural-network building blocks on top of the engine: {@link io.tapeflow.nn.Dense} and
 * {@link io.tapeflow.nn.Sequential} models (optionally behind a {@link io.tapeflow.nn.Standardization} of their
 * inputs), activations, initializers, losses, metrics, optimizers and the {@link io.tapeflow.nn.Trainer} fit loop
 * that training jobs drive. The fit loop runs each batch through one {@link io.tapeflow.nn.TrainStep}, the seam where
 * graph execution replaces the eager tape; what a step computes (outputs and loss, fused with the softmax for the
 * categorical cross-entropies) is defined once, in {@code Objective}, for both modes and for validation.
 */
package io.tapeflow.nn;
