package io.tapeflow.models;

import java.util.List;

/** One page of models, newest first. */
record ModelPage(List<ModelSummary> items, int page, int size, long total) {
}
