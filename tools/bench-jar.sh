# Sourced by tools/bench-compare.sh, bench-scaling.sh, gemm-compare.sh, gemm-pairs.sh and
# time-to-accuracy.sh (after bin/jdk.sh):
#   bench_jar_built NAME LOG_DIR   builds bench/target/jvision-bench.jar when it is missing or older
#                                  than the sources, and sets jar to its path; NAME prefixes the
#                                  messages, the Maven log goes to LOG_DIR/build.log. Exits 3 when
#                                  the build fails.
bench_jar_built() {
  local name="$1" logs="$2" root newest_source
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  jar="$root/bench/target/jvision-bench.jar"
  newest_source=$(find "$root/pom.xml" "$root/core/pom.xml" "$root/bench/pom.xml" "$root/core/src/main" \
    "$root/bench/src/main" -type f -newer "$jar" -print -quit 2>/dev/null || true)
  if [ -f "$jar" ] && [ -z "$newest_source" ]; then
    return 0
  fi
  jvision_find_maven
  echo "$name: building $jar..." >&2
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  if ! (cd "$root" && mvn -q -B -DskipTests -Dmaven.test.skip=true -pl bench -am package >"$logs/build.log" 2>&1 </dev/null); then
    cat "$logs/build.log" >&2
    echo "$name: the build failed (log above)." >&2
    exit 3
  fi
}

#   probe_cores NAME                 prints one JSON line from org.jvision.bench.CoreSharingProbe
#                                    (after bench_jar_built): are the two vCPUs on one physical
#                                    core right now ("shared_core")? Exits 1 when it prints none.
probe_cores() {
  local name="$1" line
  line=$("$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -cp "$jar" org.jvision.bench.CoreSharingProbe \
    2>/dev/null | grep '^{' || true)
  if [ -z "$line" ]; then
    echo "$name: the core-sharing probe printed nothing" >&2
    exit 1
  fi
  printf '%s\n' "$line"
}
