package io.tapeflow.training;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class ReferenceResultsH2Tests extends ReferenceResultsTests {
}
