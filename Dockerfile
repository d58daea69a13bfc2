# Container image of the Campaign Monitor operator.
#
#   podman build -t campaign-monitor-operator:0.1.0 .      (or docker build)
#
# Stage 1 builds the shaded jar with Maven; stage 2 runs it on a distroless Java 17 base: no shell,
# no package manager, a numeric non-root user.

FROM docker.io/library/maven:3.9.9-eclipse-temurin-17 AS build
# Extra Maven flags, e.g. "-o" to build from a mounted, pre-filled ~/.m2 without network.
ARG MAVEN_FLAGS=""
WORKDIR /workspace
COPY pom.xml ./
COPY src/main ./src/main
# The sample resources are packaged into the jar for the embedded demo.
COPY examples ./examples
RUN mvn -B -q ${MAVEN_FLAGS} -Dmaven.test.skip=true package \
 && test -s target/campaign-monitor-operator.jar

FROM gcr.io/distroless/java17-debian12:nonroot
LABEL org.opencontainers.image.title="campaign-monitor-operator" \
      org.opencontainers.image.description="Kubernetes operator for Cloud Elements Campaign Monitor element instances"
COPY --from=build /workspace/target/campaign-monitor-operator.jar /app/campaign-monitor-operator.jar
# JSON logs; the serial collector and C1 only (the smallest RSS and CPU per create, see docs/performance.md); the
# heap's maximum sized from the container's memory limit, and its start left to the JVM (1/64 of the limit: starting
# at 25 % cost 22-24 MiB more RSS at 1,000 resources, for about 1 ms less CPU per create); exit (and be restarted) on
# OOM.
# Set JDK_JAVA_OPTIONS in the pod to replace the JVM flags.
ENV LOG_FORMAT=json \
    MANAGEMENT_PORT=8080 \
    JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
# Class-data sharing: a training run of the operator (about 20 s: it runs `run` against an embedded API server and
# the simulator, with the flags above) writes the classes it loads into an archive, which every start then maps
# instead of loading them from the jar: faster to the first reconcile, and less memory (docs/performance.md). It is
# made here, with this image's java and jar, because an archive only fits the JVM and jar file that made it; a JVM
# that cannot use it starts without it. Exec form: the image has no shell. As root, so that the archive is root's.
USER 0:0
RUN ["/usr/bin/java", "-XX:MaxRAM=512m", "-jar", "/app/campaign-monitor-operator.jar", "cds-archive", "/app/campaign-monitor-operator.jsa"]
USER 65532:65532
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-XX:SharedArchiveFile=/app/campaign-monitor-operator.jsa", "-jar", "/app/campaign-monitor-operator.jar"]
