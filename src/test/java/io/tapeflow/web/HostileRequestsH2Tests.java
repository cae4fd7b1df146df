package io.tapeflow.web;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class HostileRequestsH2Tests extends HostileRequestsTests {
}
