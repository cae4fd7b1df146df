package io.tapeflow.training;

import io.tapeflow.TapeflowApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A whole application on a random port over a given database: one replica, started and stopped by a test. */
final class Replica implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final TrainingApi api;

    private Replica(ConfigurableApplicationContext context) {
        this.context = context;
        this.api = new TrainingApi(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    static Replica start(String url, String username, String password, String... more) {
        String[] args = new String[5 + more.length];
        args[0] = "--server.port=0";
        args[1] = "--spring.datasource.url=" + url;
        args[2] = "--spring.datasource.username=" + username;
        args[3] = "--spring.datasource.password=" + password;
        args[4] = "--tapeflow.training.workers=2";
        System.arraycopy(more, 0, args, 5, more.length);
        return new Replica(new SpringApplicationBuilder(TapeflowApplication.class).run(args));
    }

    @Override
    public void close() {
        context.close();
    }
}
