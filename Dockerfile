# Build with the Maven wrapper on a JDK, run on a JRE as a non-root user.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -ntp -DskipTests package && cp target/tapeflow-*.jar /tapeflow.jar

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system tapeflow && useradd --system --gid tapeflow --home-dir /app tapeflow \
    && mkdir -p /app/data && chown -R tapeflow:tapeflow /app
WORKDIR /app
COPY --from=build /tapeflow.jar /app/tapeflow.jar
USER tapeflow
EXPOSE 8080
ENV TAPEFLOW_DATA_DIR=/app/data
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/liveness || exit 1
# The incubator module enables the SIMD matmul kernel (without it a portable kernel gives the same results).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "--add-modules", "jdk.incubator.vector", "-jar", "/app/tapeflow.jar"]
