#!/usr/bin/env bash
# The end-to-end benchmark of a running suite (start it first with ./run-local.sh). Builds the bench when it
# is missing or older than its sources, then runs it; ./bench.sh --help lists the options.
#
#   ./bench.sh --rate 100 --duration 60    100 orders/s for a minute
#   ./bench.sh --search                     the highest rate whose p99 stays under 250 ms
#   ./bench.sh --instances 2 --kafka localhost:9092,localhost:9192,localhost:9292
#                                           a suite of ./run-local.sh --brokers 3 --instances 2
#
# Writes target/bench/report.json, report.md and latency.png. It prints figures; it never fails on them.
set -euo pipefail
cd "$(dirname "$0")"

# A JDK 21 or newer as JAVA_HOME (and first on the PATH).
source scripts/find-jdk.sh bench.sh

jar=bench/target/bench.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml bench/pom.xml bench/src/main -newer "$jar" -type f -print -quit)" ]; then
  echo "Building the bench (./mvnw package -pl bench, without tests)..."
  ./mvnw -q -B -Dmaven.test.skip=true -Dspotless.check.skip=true package -pl bench
  # The jar carries the fixed timestamp of the reproducible build; its time on disk tells when it was built.
  touch "$jar"
fi

# A small heap and the serial collector: the bench shares the machine with everything it measures, and its
# own pauses would count as latency. Headless: the chart is drawn without a display.
exec "$JAVA_HOME/bin/java" -Xms256m -Xmx768m -XX:+UseSerialGC -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -jar "$jar" "$@"
