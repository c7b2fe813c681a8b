#!/usr/bin/env bash
# Runs the whole suite on this machine with nothing installed but a JDK 21 or newer: PostgreSQL and
# Apache Kafka (both from Maven Central), then the three services on 8080, 8081 and 8082.
# Builds first what is missing or older than its sources. Data stays in .local/ between runs.
#
#   ./run-local.sh                            start (Ctrl-C stops everything)
#   ./run-local.sh --clean                    wipe .local/ first
#   ./run-local.sh --brokers 3 --instances 2  a three-node Kafka cluster, two instances of each service
#   ./run-local.sh --help                     all options
set -euo pipefail
cd "$(dirname "$0")"

# A JDK 21 or newer as JAVA_HOME (and first on the PATH).
source scripts/find-jdk.sh run-local.sh

# What the runner starts, and what they are built from (tests do not go into the jars).
outputs=(order-service/target/order-service-*.jar payment-service/target/payment-service-*.jar
  notification-service/target/notification-service-*.jar local-runner/target/local-runner.jar)
inputs=(pom.xml .mvn)
for module in common-events platform order-service payment-service notification-service launcher local-runner; do
  inputs+=("$module/pom.xml" "$module/src/main")
done
stamp=local-runner/target/run-local.built # lists the inputs of the last build; its time is that build's

list_inputs() { find "${inputs[@]}" -type f 2>/dev/null | LC_ALL=C sort; }

# The jars carry the fixed timestamp of the reproducible build, so the stamp tells when they were built.
needs_build() {
  local output
  for output in "${outputs[@]}"; do [ -f "$output" ] || return 0; done
  [ ! -f "$stamp" ] || [ -n "$(find "${inputs[@]}" -newer "$stamp" -type f -print -quit 2>/dev/null)" ] ||
    [ -n "$(files_gone)" ]
}

# Maven leaves the output of a deleted or renamed source (a migration, a class) in target/; then only a
# clean build is right.
files_gone() { [ -f "$stamp" ] && LC_ALL=C comm -23 "$stamp" <(list_inputs); }

if needs_build; then
  goals=package
  if [ ! -f "$stamp" ] || [ -n "$(files_gone)" ]; then goals="clean package"; fi
  echo "Building the services and the local runner (./mvnw $goals, without tests; a few minutes the first time)..."
  # Taken before the build, so that an edit made during the build counts as newer; kept outside target/,
  # which a clean build deletes.
  inputs_before=$(mktemp)
  trap 'rm -f "$inputs_before"' EXIT
  list_inputs >"$inputs_before"
  # shellcheck disable=SC2086
  ./mvnw -q -B -Dmaven.test.skip=true -Dspotless.check.skip=true $goals \
    -pl order-service,payment-service,notification-service,local-runner -am
  cp "$inputs_before" "$stamp"
  touch -r "$inputs_before" "$stamp"
  rm -f "$inputs_before"
  trap - EXIT
fi

color=false
if [ -t 1 ]; then color=true; fi
# exec: Ctrl-C and SIGTERM go to the runner, which stops everything it started.
exec "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlocalsuite.color="$color" \
  -jar local-runner/target/local-runner.jar "$@"
