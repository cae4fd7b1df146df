package io.tapeflow.training;

import java.util.List;

import io.tapeflow.web.FieldProblem;

/**
 * The answer to {@code POST /training-jobs?dryRun=true}: the validated request, its pre-flight estimate and whether
 * it fits the budget (the items it exceeds otherwise). Nothing is queued.
 */
record DryRunResponse(TrainingSpec request, Estimate estimate, Budget budget, boolean withinBudget,
        List<FieldProblem> overBudget) {

    record Budget(long maxWork, long maxMemoryBytes, long maxCheckpointBytes, long maxExpectedSeconds) {
    }
}
