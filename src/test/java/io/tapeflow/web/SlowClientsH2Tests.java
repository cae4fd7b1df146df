package io.tapeflow.web;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class SlowClientsH2Tests extends SlowClientsTests {
}
