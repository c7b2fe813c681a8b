#!/usr/bin/env bash
# The end-to-end benchmark of a running suite (start it first with ./run-local.sh). Builds the bench when it
# is missing or older than its sources, then runs it; ./bench.sh --help lists the options.
#
#   ./bench.sh --rate 100 --duration 60    100 orders/s for a minute
#   ./bench.sh --search                     the highest rate whose p99 stays under 250 ms
#
# Writes target/bench/report.json, report.md and latency.png. It prints figures; it never fails on them.
set -euo pipefail
cd "$(dirname "$0")"

java_major() {
  local version
  version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  echo "${version%%.*}"
}

is_jdk21() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(java_major "$1" 2>/dev/null || echo 0)" -ge 21 ]; }

find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && is_jdk21 "$JAVA_HOME"; then echo "$JAVA_HOME"; return; fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.home/ {print $2}')
    if [ -n "$candidate" ] && is_jdk21 "$candidate"; then echo "$candidate"; return; fi
  fi
  if [ -x /usr/libexec/java_home ] && candidate=$(/usr/libexec/java_home -v 21+ 2>/dev/null) && is_jdk21 "$candidate"; then
    echo "$candidate"; return
  fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
      "$HOME"/.sdkman/candidates/java/*; do
    if is_jdk21 "$candidate"; then echo "$candidate"; return; fi
  done
  return 1
}

JAVA_HOME=$(find_jdk) || {
  echo "bench.sh needs a JDK 21 or newer. None found in JAVA_HOME, on the PATH or under /usr/lib/jvm;" >&2
  echo "install one (e.g. https://adoptium.net) and set JAVA_HOME to it." >&2
  exit 1
}
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

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
