#!/usr/bin/env bash
# Remakes the Fashion-MNIST sample embedded in jvision
# (core/src/main/resources/org/jvision/data/fashion-mnist-sample/) from the real data set:
# 500 training and 100 test images per class, seed 2017 (see MakeFashionMnistSample.java).
# Usage: tools/make-fashion-mnist-sample.sh [FASHION_MNIST_DIR]
#   (default: $JVISION_DATA, then /usr/share/datasets/fashion-mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
jvision_find_jdk
jvision_find_maven
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -o -q -B -pl core test-compile
java -cp core/target/classes:core/target/test-classes org.jvision.data.MakeFashionMnistSample "$@"
