#!/usr/bin/env bash
# The test command (README, and what .ci/run runs): installs what the tests read from Debian, then
# runs every test with Maven. Java 17+ and Maven come with the machine; every Java dependency,
# including the default pre-trained encoder, comes from Maven Central.
#   libonnx-testdata       ONNX's own conformance cases, run through the interpreter
#   chromium               headless check that the HTML run report's charts render
#   dataset-fashion-mnist  real images for the vision transfer test
#   sonic-pi-samples       real recorded FLAC instrument samples (audio decoding, backgrounds)
#   espeak-ng, sox         the synthetic keyword-spotting set of scripts/make-kws.sh
# Then the Spark module (spark/, its own Maven project on the installed core jar): Spark ML stages and
# the spark commands in local[2], and a standalone master and worker started on 127.0.0.1 whose
# executors are separate JVMs. Extra arguments go to both Maven runs (e.g. scripts/test.sh -Dtest=CliTest).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ -d /usr/share/libonnx-testdata/data/node ] || missing+=(libonnx-testdata)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || missing+=(dataset-fashion-mnist)
[ -d /usr/share/sonic-pi/samples ] || missing+=(sonic-pi-samples)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing the Debian packages the tests read: ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "error: the tests need the Debian packages ${missing[*]}; run this script as root (or with sudo available)" >&2
    exit 1
  fi
fi
java -version
mvn -v
mvn -B install "$@"
mvn -B -f spark/pom.xml verify -Dsurefire.failIfNoSpecifiedTests=false "$@"
