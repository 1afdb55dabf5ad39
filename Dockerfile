# One image for every Berth service; the command picks the service (berth run controller|scheduler|node-agent).
# Build the jar first: ./mvnw -B -DskipTests package
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends runc busybox-static \
 && rm -rf /var/lib/apt/lists/*
COPY services/cli/target/berth.jar /opt/berth/berth.jar
ENV BERTH_HOME=/var/lib/berth
ENTRYPOINT ["java", "-Xmx512m", "-jar", "/opt/berth/berth.jar"]
