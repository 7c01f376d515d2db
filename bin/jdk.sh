# Sourced by the jvision scripts: finds a JDK 25 (JAVA_HOME first, then the usual JVM folders)
# and exports JAVA_HOME and PATH, or explains what is missing and exits.
jvision_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local dir
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  local home version
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/javac" ] || continue
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$home"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "jvision: needs a JDK 25 or newer (with javac), and found none." >&2
  echo "  Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm, /opt/java, /usr/local/lib/jvm, ~/.sdkman." >&2
  echo "  Install one (e.g. Temurin 25) and/or set JAVA_HOME to it." >&2
  exit 3
}

jvision_find_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "jvision: needs Apache Maven (mvn) on PATH to build, and found none." >&2
    echo "  On Debian/Ubuntu: apt-get install maven" >&2
    exit 3
  fi
}
