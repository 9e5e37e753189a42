# Builds the single executable jar and runs it. Used by docker-compose.yml.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -DskipTests -Dfuzz.skip package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /var/lib/ledgerscale ledgerscale && mkdir -p /var/lib/ledgerscale /etc/ledgerscale \
    && chown ledgerscale /var/lib/ledgerscale
COPY --from=build /src/server/target/ledgerscale-exec.jar /opt/ledgerscale/ledgerscale.jar
COPY server/jvm.options /opt/ledgerscale/jvm.options
# the configuration CMD names (docker-compose.yml mounts the same file over it, to be edited)
COPY docker/config.yaml /etc/ledgerscale/config.yaml
# fewer glibc malloc arenas: less resident memory kept after freeing (README, Benchmarks)
ENV MALLOC_ARENA_MAX=2
USER ledgerscale
WORKDIR /var/lib/ledgerscale
EXPOSE 8080 9090
# With the embedded PostgreSQL, run with an init process (docker run --init): java as PID 1 does not reap a crashed
# postmaster, and PostgreSQL takes the zombie for a running server.
ENTRYPOINT ["java", "@/opt/ledgerscale/jvm.options", "-jar", "/opt/ledgerscale/ledgerscale.jar"]
CMD ["serve", "--config", "/etc/ledgerscale/config.yaml"]
