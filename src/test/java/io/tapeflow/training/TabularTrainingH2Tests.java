package io.tapeflow.training;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class TabularTrainingH2Tests extends TabularTrainingTests {
}
