# Sourced by run-local.sh and bench.sh: picks a JDK 21 or newer and exports it as JAVA_HOME (and first on the
# PATH), or says what to install and exits. $1: the calling script, for the message.

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
  echo "$1 needs a JDK 21 or newer. None found in JAVA_HOME, on the PATH or under /usr/lib/jvm;" >&2
  echo "install one (e.g. https://adoptium.net) and set JAVA_HOME to it." >&2
  exit 1
}
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
