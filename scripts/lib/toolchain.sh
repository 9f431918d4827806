# Shared by scripts/*: makes sure Java 17+ and Maven 3.9.6+ are there. Java (and curl) come from Debian's
# packages when they are missing and we may (root with apt-get). When no Maven or one older than 3.9.6 is on
# the PATH (Debian 12 ships 3.8.7; the protobuf plugin needs 3.9.6), Maven 3.9.16 is fetched once from Maven
# Central into .tools/ and checked against its published SHA-512. Callers run Maven as "$MVN".

MAVEN_WANTED=3.9.16
MAVEN_MINIMUM=3.9.6

ensure_toolchain() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "installing ${missing[*]} ..." >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "pyrogate needs Java 17+ and curl; missing: ${missing[*]}" >&2
      exit 1
    fi
  fi
  local version
  version=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  if [[ -n "$version" && "$version" -lt 17 ]]; then
    echo "pyrogate needs Java 17 or newer; found Java $version (set JAVA_HOME or PATH)" >&2
    exit 1
  fi
  ensure_maven
}

# True when version $1 >= version $2 (dotted numbers).
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" == "$2" ]]
}

ensure_maven() {
  local found root dir archive url
  found=$(mvn -v 2>/dev/null | sed -n 's/^.*Apache Maven \([0-9.]*\).*/\1/p' | head -1)
  if [[ -n "$found" ]] && version_at_least "$found" "$MAVEN_MINIMUM"; then
    MVN=mvn
    return
  fi
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  dir="$root/.tools/apache-maven-$MAVEN_WANTED"
  if [[ ! -x "$dir/bin/mvn" ]]; then
    echo "Maven ${found:-?} is older than $MAVEN_MINIMUM; fetching Maven $MAVEN_WANTED from Maven Central into .tools/ ..." >&2
    url="https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$MAVEN_WANTED/apache-maven-$MAVEN_WANTED-bin.tar.gz"
    mkdir -p "$root/.tools"
    archive="$root/.tools/apache-maven-$MAVEN_WANTED-bin.tar.gz"
    curl -fsSL "$url" -o "$archive"
    echo "$(curl -fsSL "$url.sha512" | cut -c1-128)  $archive" | sha512sum -c --quiet -
    tar -xzf "$archive" -C "$root/.tools"
    rm -f "$archive"
  fi
  MVN="$dir/bin/mvn"
}

# Installs Debian package $2 when command $1 is missing and we may (root with apt-get); otherwise says so and
# goes on: the tests that need the command are then reported as skipped, with the reason.
ensure_optional_tool() {
  local command=$1 package=$2
  command -v "$command" >/dev/null 2>&1 && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $package (for the tests that use $command) ..." >&2
    if { apt-get install -y -qq "$package" >/dev/null 2>&1 ||
         { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1; }; }; then
      return 0
    fi
  fi
  echo "note: $command is not installed and cannot be installed here; the tests that need it will be skipped" >&2
}
