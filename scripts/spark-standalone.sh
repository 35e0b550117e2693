#!/usr/bin/env bash
# `spark train` and `spark predict` submitted for real to a Spark standalone cluster on this machine:
# a master and a worker on 127.0.0.1 (each its own JVM; the worker launches the executors as further
# JVMs), started from Spark 4.2's own Maven jars, since no Spark distribution is needed or downloaded:
# SPARK_HOME/jars holds exactly the jars a distribution's jars/ folder would (Spark and its
# dependencies), and the job goes through org.apache.spark.deploy.SparkSubmit, the class bin/spark-submit
# runs, with transfer4j's core and dependencies as --jars. Usage: scripts/spark-standalone.sh DATA.csv [OUT]
# (OUT default runs/spark-standalone); WORKER_CORES (default 2) and WORKER_MEMORY (default 4g).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: scripts/spark-standalone.sh DATA.csv [OUT]}"
out="${2:-runs/spark-standalone}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
./transfer4j spark --help >/dev/null  # builds spark/target/{transfer4j-spark.jar,lib,app-lib}
home="$out/spark-home"
rm -rf "$home" && mkdir -p "$home/jars"
# Spark's own dependency closure, resolved by Maven from a pom naming only Spark (what a distribution's jars/ holds)
cat >"$out/spark-only.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-home</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId><version>4.2.0</version></dependency>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-mllib_2.13</artifactId><version>4.2.0</version></dependency>
  </dependencies>
</project>
POM
mvn -B -q -f "$out/spark-only.xml" dependency:copy-dependencies -DoutputDirectory="$home/jars"
opts="$(tr '\n' ' ' < spark/java-options)"
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
port=7077
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# shellcheck disable=SC2086
java -Xmx512m $opts -cp "$home/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $port --webui-port 0 \
  >"$out/master.log" 2>&1 & pids+=($!)
until grep -q "I have been elected leader" "$out/master.log"; do sleep 0.5; done
# shellcheck disable=SC2086
java -Xmx512m $opts -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "${WORKER_CORES:-2}" \
  --memory "${WORKER_MEMORY:-4g}" --webui-port 0 --work-dir "$out/work" "spark://127.0.0.1:$port" >"$out/worker.log" 2>&1 & pids+=($!)
until grep -q "Successfully registered with master" "$out/worker.log"; do sleep 0.5; done
jars="$(ls spark/target/app-lib/*.jar | paste -sd, -)"
submit() {
  # shellcheck disable=SC2086
  # the driver runs in this JVM (client mode): transfer4j's log settings (warnings only) apply from its start
  /usr/bin/time -f "spark-submit: wall %e s, driver peak RSS %M KB" java -Xmx4g $opts \
    -Dlog4j.configurationFile="$(pwd)/spark/src/main/resources/log4j2.properties" -cp "$home/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "spark://127.0.0.1:$port" --deploy-mode client --class io.transfer4j.spark.cli.SparkMain --jars "$jars" \
    --conf "spark.executor.extraJavaOptions=$opts" --conf spark.executor.memory=3g --conf spark.driver.host=127.0.0.1 \
    --conf spark.ui.enabled=false spark/target/transfer4j-spark.jar "$@"
}
submit train --data "$data" --max-length "${MAX_LENGTH:-128}" --out "$out/bundle" -q 2>&1 | grep -v " WARN " | tee "$out/train.txt"
submit predict --model "$out/bundle" --input "$data" --output "$out/predictions.parquet" --label-column label -q 2>&1 \
  | grep -v " WARN " | tee "$out/predict.txt"
echo "executors launched by the worker: $(find "$out/work" -mindepth 2 -maxdepth 2 -type d | wc -l)" | tee -a "$out/predict.txt"
