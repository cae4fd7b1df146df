package io.tapeflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TapeflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(TapeflowApplication.class, args);
    }
}
