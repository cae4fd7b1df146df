package io.tapeflow.page;

import io.tapeflow.support.H2WebTest;

@H2WebTest
class DashboardH2Tests extends DashboardTests {

    @Override
    String name() {
        return "open";
    }
}
