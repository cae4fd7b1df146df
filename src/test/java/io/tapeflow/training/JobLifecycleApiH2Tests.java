package io.tapeflow.training;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class JobLifecycleApiH2Tests extends JobLifecycleApiTests {
}
