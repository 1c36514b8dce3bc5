/**
 * Metagradient descent over a continuous metaparameter {@code z}, shared by {@code poison} and
 * {@code tune-lr}: the loop ({@link io.metagrad.spark.descent.DescentLoop}) evaluates an objective
 * and its exact metagradient at {@code z} (a job's Spark stage), steps signed or normalized with a
 * step-size schedule, projects onto the job's constraint set, and checkpoints every step in a run
 * directory ({@link io.metagrad.spark.descent.DescentDirectory}) so that a stopped or killed run
 * resumes bitwise equal to an uninterrupted one.
 */
package io.metagrad.spark.descent;
