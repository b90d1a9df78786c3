# Sourced (POSIX sh) by ./mvnw, ./deepq and .ci/run: chooses a JDK >= 21 when the machine's default java is older.
# Order: JAVA_HOME, the java on PATH, then the newest JDK under /usr/lib/jvm.

DEEPQ_MIN_JAVA=21

deepq_java_major() {
  # The feature version (e.g. 25) of the java binary $1, or nothing if it does not run.
  _v="$("$1" -XshowSettings:properties -version 2>&1 | grep -m1 'java.specification.version' || true)"
  _v="${_v##*= }"
  _v="${_v#1.}"
  echo "${_v%%.*}"
}

deepq_jdk_ok() {
  # True if directory $1 is a JDK (java and javac) of version >= DEEPQ_MIN_JAVA.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _v="$(deepq_java_major "$1/bin/java")"
  [ -n "$_v" ] && [ "$_v" -ge "$DEEPQ_MIN_JAVA" ]
}

deepq_find_jdk() {
  # Prints the home of a suitable JDK, or nothing.
  if [ -n "${JAVA_HOME:-}" ] && deepq_jdk_ok "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  _c="$(command -v java || true)"
  if [ -n "$_c" ]; then
    _c="$(dirname "$(dirname "$(readlink -f "$_c")")")"
    if deepq_jdk_ok "$_c"; then echo "$_c"; return 0; fi
  fi
  _best=""
  _best_v=0
  # ./mvnw runs with globbing off (set -f); the JDK search needs it.
  case $- in *f*) _noglob=1 ;; *) _noglob="" ;; esac
  set +f
  for _c in /usr/lib/jvm/*/; do
    _c="${_c%/}"
    if deepq_jdk_ok "$_c"; then
      _cv="$(deepq_java_major "$_c/bin/java")"
      if [ "$_cv" -gt "$_best_v" ]; then _best="$_c"; _best_v="$_cv"; fi
    fi
  done
  [ -n "$_noglob" ] && set -f
  [ -n "$_best" ] && echo "$_best"
  return 0
}

deepq_select_jdk() {
  # Exports JAVA_HOME for a suitable JDK; quiets JDK 24+ warnings caused by Maven's own libraries.
  _home="$(deepq_find_jdk)"
  if [ -z "$_home" ]; then
    echo "deepq: no JDK $DEEPQ_MIN_JAVA or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*); install one or set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME="$_home"
  if [ "$(deepq_java_major "$_home/bin/java")" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in
      *" --sun-misc-unsafe-memory-access"*) ;;
      *) export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow" ;;
    esac
  fi
}
