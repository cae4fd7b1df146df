package io.tapeflow.config;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.tapeflow.engine.MatMulKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says which kernels and which JIT this JVM runs, once in the log at start and under {@code runtime} in
 * {@code /actuator/info}. A JVM without C2 (Spring Boot's {@code optimizedLaunch} adds
 * {@code -XX:TieredStopAtLevel=1}) trains 10–30× slower, and one without the vector module 1.5–2× slower, and
 * neither is visible from the outside otherwise: so both are warned about loudly.
 */
@Component
class RuntimeReport implements InfoContributor {

    /** The text {@code .ci/run} looks for: keep it stable. */
    static final String SLOW_WARNING = "RUNNING SLOW:";

    private static final Logger log = LoggerFactory.getLogger(RuntimeReport.class);

    @EventListener(ApplicationReadyEvent.class)
    void logAtStart() {
        boolean c2 = c2Enabled();
        boolean vector = MatMulKernels.vectorized();
        log.info("Kernels: {}; JIT: {}; matmul blocks: {}", kernels(vector), jit(c2), MatMulKernels.blocking());
        if (!c2) {
            log.warn("{} the JIT stops below C2 ({}): training runs many times slower. Start the service with "
                    + "./mvnw spring-boot:run (which keeps C2 on) or java --add-modules jdk.incubator.vector -jar ...",
                    SLOW_WARNING, jit(false));
        }
        if (!vector) {
            log.warn("{} the jdk.incubator.vector module is not loaded, so the portable matmul kernel runs (same "
                    + "results, slower). Add --add-modules jdk.incubator.vector to the java command", SLOW_WARNING);
        }
    }

    @Override
    public void contribute(Info.Builder builder) {
        boolean c2 = c2Enabled();
        boolean vector = MatMulKernels.vectorized();
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("kernels", vector ? "vector" : "portable");
        runtime.put("kernelsDetail", kernels(vector));
        runtime.put("matmulBlocking", MatMulKernels.blocking());
        runtime.put("c2", c2);
        runtime.put("jit", jit(c2));
        runtime.put("fullSpeed", c2 && vector);
        runtime.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        runtime.put("cores", Runtime.getRuntime().availableProcessors());
        builder.withDetail("runtime", runtime);
    }

    private static String kernels(boolean vector) {
        return vector ? "jdk.incubator.vector (SIMD matmul, vector exp/log)" : "portable (no jdk.incubator.vector)";
    }

    private static String jit(boolean c2) {
        String name = ManagementFactory.getCompilationMXBean() == null ? "none (interpreter only)"
                : ManagementFactory.getCompilationMXBean().getName();
        return name + (c2 ? ", C2 on" : ", C2 off (TieredStopAtLevel=" + option("TieredStopAtLevel") + ")");
    }

    /** C2 runs unless the JVM interprets only or tiered compilation stops below level 4. */
    static boolean c2Enabled() {
        if (ManagementFactory.getCompilationMXBean() == null) {
            return false;
        }
        if ("false".equals(option("UseCompiler"))) {
            return false;
        }
        String tiered = option("TieredCompilation");
        String stopAt = option("TieredStopAtLevel");
        return !"true".equals(tiered) || stopAt == null || Integer.parseInt(stopAt) >= 4;
    }

    private static String option(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return null; // not a HotSpot JVM, or the option does not exist there
        }
    }
}
