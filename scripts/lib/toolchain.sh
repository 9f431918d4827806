# Shared by scripts/*: makes sure Java 17+ and Maven are there, installing them from Debian's packages
# when they are missing and we may (root with apt-get).

ensure_toolchain() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "installing ${missing[*]} ..." >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "pyrogate needs Java 17+ and Maven; missing: ${missing[*]}" >&2
      exit 1
    fi
  fi
  local version
  version=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  if [[ -n "$version" && "$version" -lt 17 ]]; then
    echo "pyrogate needs Java 17 or newer; found Java $version (set JAVA_HOME or PATH)" >&2
    exit 1
  fi
}
