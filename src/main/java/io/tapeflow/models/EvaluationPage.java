package io.tapeflow.models;

import java.util.List;

/** One page of a model's evaluation reports, newest first. */
record EvaluationPage(List<EvaluationResponse> items, int page, int size, long total) {
}
