package io.tapeflow.datasets;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class DatasetsApiH2Tests extends DatasetsApiTests {
}
