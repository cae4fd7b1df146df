package io.tapeflow.web;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class DocumentedCommandsH2Tests extends DocumentedCommandsTests {
}
