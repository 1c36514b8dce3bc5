/**
 * The gradients the data-poisoning baselines need besides metagradients: of each example's loss
 * with respect to its input at fixed parameters (one-step gradient ascent), of the training loss
 * with respect to the parameters (parameter corruption), and of the norm of the summed training
 * gradient with respect to the poisoned inputs (gradient canceling).
 */
package io.metagrad.core.poison;
