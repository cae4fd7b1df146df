package io.tapeflow.models;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class EvaluationsApiH2Tests extends EvaluationsApiTests {
}
