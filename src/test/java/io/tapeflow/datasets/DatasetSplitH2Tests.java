package io.tapeflow.datasets;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class DatasetSplitH2Tests extends DatasetSplitTests {
}
