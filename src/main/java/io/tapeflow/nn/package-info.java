/**
 * Neural-network building blocks on top of the engine: {@link io.tapeflow.nn.Dense} and
 * {@link io.tapeflow.nn.Sequential} models, activations, initializers, losses, metrics, optimizers and the
 * {@link io.tapeflow.nn.Trainer} fit loop that training jobs drive. The fit loop runs each batch through one
 * {@link io.tapeflow.nn.TrainStep}, the seam where graph execution replaces the eager tape.
 */
package io.tapeflow.nn;
