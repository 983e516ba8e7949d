#!/bin/sh
# Sums oneDNN's own per-primitive execution times from an ONEDNN_VERBOSE=1 log, per primitive kind, implementation
# and direction, divided by the number of training steps in the log. Usage (from the repository root):
#
#   ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 mvn -q -o -pl benchmarks exec:exec@bench -Dbench=StepBenchmark \
#     -Dbench.args="--child resnet50:32:full --warmup 3 --steps 2 --peer none" > verbose.log
#   sh benchmarks/peer/onednn_verbose_summary.sh verbose.log 5      # 3 warm-up + 2 measured steps
log=$1
steps=${2:-1}
grep "dnnl_verbose,exec" "$log" | awk -F, -v steps="$steps" '
  { k = $4 ", " $5 ", " $6; n[k]++; t[k] += $NF; total += $NF }
  END {
    print "| primitive, implementation, direction | calls/step | ms/step |"
    print "|---|---|---|"
    for (k in n) printf "| %s | %.0f | %.1f |\n", k, n[k] / steps, t[k] / steps | "sort -t\"|\" -k4 -rn"
    close("sort -t\"|\" -k4 -rn")
    printf "| all oneDNN primitives | | %.1f |\n", total / steps
  }'
