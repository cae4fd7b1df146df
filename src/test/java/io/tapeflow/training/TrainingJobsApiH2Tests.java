package io.tapeflow.training;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class TrainingJobsApiH2Tests extends TrainingJobsApiTests {
}
