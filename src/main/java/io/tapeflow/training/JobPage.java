package io.tapeflow.training;

import java.util.List;

/** One page of training jobs, newest first. */
record JobPage(List<TrainingJobResponse> items, int page, int size, long total) {
}
