#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, started and stopped by this script: a master and one or two
# workers on 127.0.0.1 (separate JVMs, from the Spark jars Maven already has), Thaw's spark-submit jar submitted to
# it, and a small sweep run through it. Measures wall time with 1 vs 2 workers (and the same sweep without Spark),
# peak memory per executor, and what happens when an executor is killed mid-candidate; writes
# benchmarks/results/spark-cluster.md.
#
# Usage (from the project root, nothing else running): benchmarks/spark-cluster.sh
# Needs: a built project (mvn -q install -DskipTests). Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${SPARK_CLUSTER_WORK:-/tmp/thaw-spark-cluster}
OUT=benchmarks/results/spark-cluster.md
MASTER_PORT=7077
MASTER=spark://127.0.0.1:$MASTER_PORT
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
 --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
 --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
 --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
OPENS=$(echo $OPENS)

# --- the jar spark-submit takes, and a SPARK_HOME made of the Spark jars Maven resolved -------------------------
JAR=$(ls spark/target/thaw-spark-*-submit.jar 2>/dev/null | head -n 1 || true)
if [[ -z "$JAR" ]]; then
  mvn -q -B -o -Pspark-jar package -DskipTests -pl spark
  JAR=$(ls spark/target/thaw-spark-*-submit.jar | head -n 1)
fi
JAR=$ROOT/$JAR
rm -rf "$WORK" && mkdir -p "$WORK/spark-home/jars" "$WORK/logs"
export SPARK_HOME=$WORK/spark-home
# Spark's launcher finds its jars in SPARK_HOME/jars when a RELEASE file marks a distribution
echo "Spark 3.5 jars from Maven (Thaw's benchmarks/spark-cluster.sh)" > "$SPARK_HOME/RELEASE"
mvn -q -B -o dependency:build-classpath -pl spark -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$WORK/spark.classpath" > /dev/null
tr ':' '\n' < "$WORK/spark.classpath" | while read -r j; do ln -sf "$j" "$SPARK_HOME/jars/"; done
export SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
SPARK_CP="$SPARK_HOME/jars/*"

pids=()
stop_all() {
  for p in "${pids[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  pkill -f "$WORK.*CoarseGrainedExecutorBackend" 2>/dev/null || true
  wait 2>/dev/null || true
  pids=()
}
trap stop_all EXIT

wait_port() { # host port seconds
  for _ in $(seq 1 "$3"); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 1; done
  echo "port $2 did not open" >&2; return 1
}

start_cluster() { # workers
  java -Xmx512m $OPENS -cp "$SPARK_CP" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
      --port $MASTER_PORT --webui-port 0 > "$WORK/logs/master.log" 2>&1 &
  pids+=($!)
  wait_port 127.0.0.1 $MASTER_PORT 60
  for w in $(seq 1 "$1"); do
    # one core each: a task slot per worker, one ND4J thread per executor (OMP_NUM_THREADS below)
    java -Xmx512m $OPENS -cp "$SPARK_CP" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
        --memory 8g --work-dir "$WORK/worker$w" --webui-port 0 $MASTER > "$WORK/logs/worker$w.log" 2>&1 &
    pids+=($!)
  done
  sleep 5
}

# peak resident memory of each executor JVM (VmHWM), sampled every second until the file "$1.stop" appears
sample_executors() {
  declare -A peak
  while [[ ! -e "$1.stop" ]]; do
    for p in $(pgrep -f "$WORK.*CoarseGrainedExecutorBackend" || true); do
      kb=$(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
      [[ -n "$kb" && "$kb" -gt "${peak[$p]:-0}" ]] && peak[$p]=$kb
    done
    sleep 1
  done
  for p in "${!peak[@]}"; do echo "$p ${peak[$p]}"; done > "$1"
}

SWEEP_ARGS=(--freeze full,block3 --lr-min 1e-3 --lr-max 1e-2 --lr-count 3 --epochs 3 --batch 32
            --data fashion-mnist-sample --classes 0-4 --per-class 300 --val 0.1 --test 0.05 --seed 7)

spark_submit() { # cache name, thaw command line...
  local cache=$1; shift
  java -Xmx2g $OPENS -Dthaw.cache.dir="$WORK/cache-$cache" -Dorg.bytedeco.javacpp.cachedir="$HOME/.cache/thaw/javacpp" \
      -cp "$SPARK_CP" org.apache.spark.deploy.SparkSubmit --master $MASTER --deploy-mode client \
      --class dev.thaw.engine.cli.ThawCli --executor-cores 1 --executor-memory 2g \
      --conf spark.executor.memoryOverhead=3g --conf spark.executorEnv.OMP_NUM_THREADS=1 \
      --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.cachedir=$WORK/javacpp-exec{{EXECUTOR_ID}}" \
      "$JAR" "$@"
}

submit() { # name, extra sweep args...
  local name=$1; shift
  spark_submit "$name" sweep --spark --dir "$WORK/sweep-$name" "${SWEEP_ARGS[@]}" "$@"
}

thaw_here() { # cache name, thaw command line... (no Spark, 1 ND4J thread as each executor has)
  local cache=$1; shift
  OMP_NUM_THREADS=1 THAW_JAVA_OPTS="-Dthaw.cache.dir=$WORK/cache-$cache" tuning/target/thaw "$@"
}

# featurize --spark and train --spark on the 2-worker cluster, each beside the same command without Spark
FEATURIZE=(featurize --model smallcnn --freeze block2 --data fashion-mnist-sample --classes 5-9 --per-class 300
           --val 0.1 --test 0.05 --seed 7)
TRAIN=(train --runs "$WORK/runs" --classes 5-9 --per-class 100 --val 0.1 --test 0.05 --seed 7 --batch 32
       --strategy freeze:block2 --no-feature-cache --epochs 3 --lr 1e-3 --data fashion-mnist-sample)
featurize_and_train() {
  start_cluster 2
  local t0=$(date +%s.%N)
  spark_submit feat-spark "${FEATURIZE[@]}" --spark > "$WORK/logs/featurize-spark.log" 2>&1
  local t1=$(date +%s.%N)
  spark_submit train-spark "${TRAIN[@]}" --name spark --weights "thaw:$WORK/sweep-two/best/model.zip" --spark \
      > "$WORK/logs/train-spark.log" 2>&1
  local t2=$(date +%s.%N)
  stop_all
  thaw_here feat-local "${FEATURIZE[@]}" > "$WORK/logs/featurize-local.log" 2>&1
  local t3=$(date +%s.%N)
  thaw_here train-local "${TRAIN[@]}" --name local --weights "thaw:$WORK/sweep-two/best/model.zip" \
      > "$WORK/logs/train-local.log" 2>&1
  local t4=$(date +%s.%N)
  { echo "featurize-spark $(awk "BEGIN {print $t1 - $t0}")"; echo "train-spark $(awk "BEGIN {print $t2 - $t1}")"
    echo "featurize-local $(awk "BEGIN {print $t3 - $t2}")"; echo "train-local $(awk "BEGIN {print $t4 - $t3}")"
  } >> "$WORK/times"
}

timed_run() { # name workers [--kill]
  local name=$1 workers=$2 kill=${3:-}
  start_cluster "$workers"
  rm -f "$WORK/peak-$name" "$WORK/peak-$name.stop"
  sample_executors "$WORK/peak-$name" & local sampler=$!
  local start=$(date +%s.%N)
  if [[ "$kill" == "--kill" ]]; then
    ( # kill the executor that trains c000 once the candidate has a checkpoint (after its first epoch)
      run="$WORK/sweep-$name/candidates/c000"
      until [[ -n "$(ls -A "$run/checkpoint" 2>/dev/null)" ]]; do sleep 0.2; done
      for p in $(pgrep -f "$WORK.*CoarseGrainedExecutorBackend"); do
        # the executor holding the run folder's lock file open is the one training it
        if ls -l "/proc/$p/fd" 2>/dev/null | grep -q "$run/.lock"; then victim=$p; fi
      done
      echo "killed the executor training c000 (pid ${victim:-none}, kill -9) after c000's first checkpoint, at" \
           "$(date +%T)" | tee "$WORK/killed-$name"
      [[ -n "${victim:-}" ]] && kill -9 "$victim"
    ) &
  fi
  submit "$name" > "$WORK/logs/submit-$name.log" 2>&1 || { echo "sweep $name failed: see $WORK/logs/submit-$name.log" >&2; tail -20 "$WORK/logs/submit-$name.log" >&2; exit 1; }
  local end=$(date +%s.%N)
  touch "$WORK/peak-$name.stop"; wait $sampler
  echo "$name $(awk "BEGIN {print $end - $start}")" >> "$WORK/times"
  stop_all
  sleep 2
}

local_run() { # name, ND4J threads
  local start=$(date +%s.%N)
  OMP_NUM_THREADS=$2 THAW_JAVA_OPTS="-Dthaw.cache.dir=$WORK/cache-$1" tuning/target/thaw sweep \
      --dir "$WORK/sweep-$1" "${SWEEP_ARGS[@]}" > "$WORK/logs/$1.log" 2>&1
  local end=$(date +%s.%N)
  echo "$1 $(awk "BEGIN {print $end - $start}")" >> "$WORK/times"
}

: > "$WORK/times"
echo "warm-up (executors unpack their natives once): 2 workers"; timed_run warmup 2
echo "1 worker";  timed_run one 1
echo "2 workers"; timed_run two 2
echo "no Spark";  local_run local 2
echo "no Spark, 1 thread";  local_run local1 1
echo "2 workers, one executor killed mid-candidate"; timed_run killed 2 --kill
echo "featurize and train on 2 workers, and without Spark"; featurize_and_train

# --- the report (benchmarks/spark-cluster-report.py WORK OUT rewrites it from a finished run's folder) -----------
python3 benchmarks/spark-cluster-report.py "$WORK" "$OUT" "${SWEEP_ARGS[*]}"
