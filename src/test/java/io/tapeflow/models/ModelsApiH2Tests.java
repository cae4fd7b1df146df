package io.tapeflow.models;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class ModelsApiH2Tests extends ModelsApiTests {
}
