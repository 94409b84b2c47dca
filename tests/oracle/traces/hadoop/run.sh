#!/usr/bin/env bash
# Regenerates the genuine Hadoop S3A traces: fixtures/diagnose/genuine/hadoop/<scenario>.txt.
#
#   tests/oracle/traces/hadoop/run.sh            (from anywhere; root, python3, a JDK 17: javac, java)
#
# Each trace is what the real S3A classes print when an operation through org.apache.hadoop.fs.FileSystem
# fails against a local moto S3 (authentication enforced): TraceProbe's one ERROR line, then the exception's
# printStackTrace. Jars: hadoop-aws 3.3.1 + aws-java-sdk-bundle 1.11.901 (PyPI sagemaker-pyspark 1.4.5) on
# hadoop-client-api/-runtime 3.3.1 (PyPI pyspark 3.2.4, i.e. Spark 3.2's Hadoop). Everything is installed once
# under $S3LINT_ORACLE_CACHE/traces (default ~/.cache/s3lint-oracle/traces), never into the repository.
#
# The scenarios run in a private network namespace that has only a loopback interface (unshare --net), so
# no request can leave the machine (no instance-metadata call, no DNS query), and in a private mount namespace
# for the read-only and the full buffer directories. labels.yaml is written by hand, not by this script.
set -euo pipefail

SAGEMAKER_PYSPARK_VERSION=1.4.5   # hadoop-aws-3.3.1.jar, aws-java-sdk-bundle-1.11.901.jar, aws-java-sdk-*-1.12.262
PYSPARK_VERSION=3.2.4             # hadoop-client-api/-runtime 3.3.1 and the log4j 1.2 / slf4j jars of Spark 3.2
MISMATCH_PYSPARK_VERSION=4.0.1    # hadoop-client-api/-runtime 3.4.1: a hadoop-common newer than hadoop-aws 3.3.1
MOTO_VERSION=5.2.1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
cache="${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}/traces"
out="$repo/fixtures/diagnose/genuine/hadoop"

if [ -z "${S3LINT_TRACES_INSIDE:-}" ]; then
  start=$SECONDS
  # --- install what is missing (this part needs the package registry) ---
  mkdir -p "$cache/dl" "$cache/jars"
  if [ ! -x "$cache/venv/bin/python" ]; then
    python3 -m venv "$cache/venv"
  fi
  if ! "$cache/venv/bin/python" -c "import moto, flask, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    "$cache/venv/bin/pip" install --quiet "moto[server]==$MOTO_VERSION"
  fi
  need_jar() { [ -s "$cache/jars/$1" ] || return 0; return 1; }
  fetch_jars() { # fetch_jars PACKAGE VERSION SDIST-DIR JAR...
    local package="$1" version="$2" dir="$3" sdist jar
    shift 3
    sdist="$cache/dl/${package//-/_}-$version.tar.gz"
    if [ ! -s "$sdist" ]; then
      "$cache/venv/bin/pip" download --quiet --no-deps --no-binary :all: -d "$cache/dl" "$package==$version"
    fi
    for jar in "$@"; do
      if need_jar "$jar"; then
        tar xzf "$sdist" -C "$cache/jars" --strip-components=3 "$dir/deps/jars/$jar"
      fi
    done
  }
  fetch_jars sagemaker-pyspark "$SAGEMAKER_PYSPARK_VERSION" "sagemaker_pyspark-$SAGEMAKER_PYSPARK_VERSION" \
    hadoop-aws-3.3.1.jar aws-java-sdk-bundle-1.11.901.jar aws-java-sdk-core-1.12.262.jar \
    aws-java-sdk-s3-1.12.262.jar aws-java-sdk-kms-1.12.262.jar aws-java-sdk-sts-1.12.262.jar
  fetch_jars pyspark "$PYSPARK_VERSION" "pyspark-$PYSPARK_VERSION" \
    hadoop-client-api-3.3.1.jar hadoop-client-runtime-3.3.1.jar htrace-core4-4.1.0-incubating.jar \
    commons-lang3-3.12.0.jar commons-logging-1.1.3.jar slf4j-api-1.7.30.jar slf4j-log4j12-1.7.30.jar \
    log4j-1.2.17.jar
  fetch_jars pyspark "$MISMATCH_PYSPARK_VERSION" "pyspark-$MISMATCH_PYSPARK_VERSION" \
    hadoop-client-api-3.4.1.jar hadoop-client-runtime-3.4.1.jar
  j="$cache/jars"
  hadoop_cp="$j/hadoop-client-api-3.3.1.jar:$j/hadoop-client-runtime-3.3.1.jar:$j/htrace-core4-4.1.0-incubating.jar"
  hadoop_cp="$hadoop_cp:$j/commons-lang3-3.12.0.jar:$j/commons-logging-1.1.3.jar"
  hadoop_cp="$hadoop_cp:$j/slf4j-api-1.7.30.jar:$j/slf4j-log4j12-1.7.30.jar:$j/log4j-1.2.17.jar"
  rm -rf "$cache/classes"
  mkdir -p "$cache/classes"
  javac -nowarn -d "$cache/classes" -cp "$hadoop_cp" "$here/TraceProbe.java"

  # --- run the scenarios inside fresh network and mount namespaces ---
  if ! unshare --net --mount true 2>/dev/null; then
    echo "run.sh: needs 'unshare --net --mount' (root): the scenarios must run where only loopback exists" >&2
    exit 1
  fi
  S3LINT_TRACES_INSIDE=1 HADOOP_CP="$hadoop_cp" unshare --net --mount --propagation private "$0" "$@"
  echo "run.sh: done in $((SECONDS - start)) s"
  exit 0
fi

# ===================== inside the namespaces: loopback only =====================
ip link set lo up
j="$cache/jars"
hadoop_cp="$HADOOP_CP"
aws_jar="$j/hadoop-aws-3.3.1.jar"
bundle_jar="$j/aws-java-sdk-bundle-1.11.901.jar"
split_sdk="$j/aws-java-sdk-core-1.12.262.jar:$j/aws-java-sdk-s3-1.12.262.jar:$j/aws-java-sdk-kms-1.12.262.jar"
split_sdk="$split_sdk:$j/aws-java-sdk-sts-1.12.262.jar"
full_cp="$cache/classes:$hadoop_cp:$aws_jar:$bundle_jar"
# hadoop-common 3.4.1 (and its core-default.xml) under hadoop-aws 3.3.1
mismatch_cp="$cache/classes:$j/hadoop-client-api-3.4.1.jar:$j/hadoop-client-runtime-3.4.1.jar"
mismatch_cp="$mismatch_cp:${hadoop_cp#*-runtime-3.3.1.jar:}:$aws_jar:$bundle_jar"
run="$cache/run"
rm -rf "$run"
mkdir -p "$run/home" "$out"
rm -f "$out"/*.txt   # labels.yaml stays
py="$cache/venv/bin/python"

free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { # wait_port PORT: until something listens there (20 s at most)
  local i
  for i in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "run.sh: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

pids=()
cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

moto_port="$(free_port)"
closed_port="$(free_port)"   # nothing ever listens here
INITIAL_NO_AUTH_ACTION_COUNT=0 "$py" "$here/moto_server.py" --port "$moto_port" \
  --bootstrap "$run/admin.json" >"$run/moto.log" 2>&1 &
pids+=($!)
wait_port "$moto_port"
"$py" "$here/setup_moto.py" --endpoint "http://127.0.0.1:$moto_port" --bootstrap "$run/admin.json" \
  --out "$run/keys.json"
key() { "$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' "$run/keys.json" "$1" "$2"; }
full=(fs.s3a.access.key="$(key oracle-full access_key)" fs.s3a.secret.key="$(key oracle-full secret_key)")
noread=(fs.s3a.access.key="$(key oracle-noread access_key)" fs.s3a.secret.key="$(key oracle-noread secret_key)")
nowrite=(fs.s3a.access.key="$(key oracle-nowrite access_key)" fs.s3a.secret.key="$(key oracle-nowrite secret_key)")
temp_provider=fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider
session=($temp_provider fs.s3a.access.key="$(key oracle-role-session access_key)"
         fs.s3a.secret.key="$(key oracle-role-session secret_key)")
session_token="$(key oracle-role-session session_token)"

silent_port="$(free_port)"
"$py" "$here/stall_server.py" --port "$silent_port" --mode silent --lifetime 300 >"$run/silent.log" 2>&1 &
pids+=($!)
backlog_port="$(free_port)"
"$py" "$here/stall_server.py" --port "$backlog_port" --mode backlog --lifetime 300 >"$run/backlog.log" 2>&1 &
pids+=($!)
wait_port "$silent_port"
sleep 0.5   # the backlog server fills its own queue, so it cannot be probed: give it time

# buffer directories, in this mount namespace only: one read-only, one on an 8 MiB tmpfs (room for a 5 MiB
# block, not for the default 64 MiB one)
mount -t tmpfs -o size=8m tmpfs /mnt
mkdir -p /mnt/s3a-buffer-ro /mnt/s3a-buffer-small
mount --bind /mnt/s3a-buffer-ro /mnt/s3a-buffer-ro
mount -o remount,ro,bind /mnt/s3a-buffer-ro

s3a_impl=fs.s3a.impl=org.apache.hadoop.fs.s3a.S3AFileSystem
# Small timeouts and retry counts: every scenario ends in seconds.
base=(fs.s3a.endpoint="http://127.0.0.1:$moto_port" fs.s3a.path.style.access=true
      fs.s3a.attempts.maximum=1 fs.s3a.retry.limit=1 fs.s3a.retry.interval=50ms
      fs.s3a.retry.throttle.limit=1 fs.s3a.retry.throttle.interval=50ms
      fs.s3a.connection.establish.timeout=2000 fs.s3a.connection.timeout=2000)

probe() { # probe CLASSPATH OP URI CONF...: one JVM, a fixed environment
  local cp="$1"
  shift
  env -i PATH="$PATH" HOME="$run/home" LANG=C.UTF-8 \
    java -Xss1m -Duser.home="$run/home" -Djava.io.tmpdir=/tmp \
         -Dlog4j.configuration="file:$here/log4j.properties" -Dtrace.log.file="$run/hadoop-side.log" \
         -Dcom.amazonaws.sdk.ec2MetadataServiceEndpointOverride="http://127.0.0.1:$closed_port" \
         -cp "$cp" TraceProbe "$@"
}
traces=0
broken=()
ok() { # ok OP URI CONF...: a check that must succeed (the setup works, so the failures are the scenario's)
  local text
  if ! text="$(probe "$full_cp" "$@")"; then
    printf '%s\n' "$text" >&2
    echo "run.sh: check failed: $1 $2" >&2
    exit 1
  fi
  echo "  check: $text"
}
trace() { # trace NAME OP URI CONF...: must fail; its output is the trace
  local name="$1" rc=0 t0=$SECONDS
  shift
  probe "${CP:-$full_cp}" "$@" >"$out/$name.txt" || rc=$?
  if [ "$rc" -ne 1 ] || ! head -n 1 "$out/$name.txt" | grep -q ' ERROR TraceProbe: '; then
    cat "$out/$name.txt" >&2
    echo "run.sh: $name: expected a failure trace, got exit $rc" >&2
    broken+=("$name")
    return 0
  fi
  traces=$((traces + 1))
  echo "  $name.txt ($((SECONDS - t0)) s)"
}

echo "checks (must succeed):"
ok ls s3a://oracle-data/data/ "${base[@]}" "${full[@]}"
ok read s3a://oracle-data/data/part-0000.csv "${base[@]}" "${full[@]}"
ok write s3a://oracle-data/out/check.txt "${base[@]}" "${full[@]}"
ok mkdir s3a://oracle-data/out/dir "${base[@]}" "${full[@]}"
ok open-many:2 s3a://oracle-data/data/big.bin "${base[@]}" "${full[@]}"
ok ls s3a://oracle-data/data/ "${base[@]}" "${session[@]}" fs.s3a.session.token="$session_token"
ok read s3a://oracle-data/data/part-0000.csv "${base[@]}" "${nowrite[@]}"
# virtual-host addressing against an IP endpoint: SDK v1 falls back to path-style by itself, no failure
ok ls s3a://oracle-data/data/ "${base[@]}" "${full[@]}" fs.s3a.path.style.access=false
# without core-default.xml S3A still works once a buffer directory is set
ok write s3a://oracle-data/out/check-no-defaults.txt --no-defaults "${base[@]}" "${full[@]}" "$s3a_impl" \
  fs.s3a.buffer.dir=/mnt/s3a-buffer-small fs.s3a.multipart.size=5M
ok write s3a://oracle-data/out/check-buffer.txt "${base[@]}" "${full[@]}" fs.s3a.buffer.dir=/mnt/s3a-buffer-small \
  fs.s3a.multipart.size=5M

echo "traces:"
data=s3a://oracle-data/data/
csv=s3a://oracle-data/data/part-0000.csv
new=s3a://oracle-data/out/part-0000.csv
# credentials
trace s3a-no-credentials-ls ls "$data" "${base[@]}"
trace s3a-no-credentials-simple-provider-write write "$new" "${base[@]}" \
  fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider
trace s3a-invalid-access-key-id-ls ls "$data" "${base[@]}" \
  fs.s3a.access.key=AKIAIOSFODNN7EXAMPLE fs.s3a.secret.key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
trace s3a-signature-does-not-match-ls ls "$data" "${base[@]}" "${full[@]}" \
  fs.s3a.secret.key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
trace s3a-signature-does-not-match-stat stat "$csv" "${base[@]}" "${full[@]}" \
  fs.s3a.secret.key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
trace s3a-invalid-session-token-ls ls "$data" "${base[@]}" "${session[@]}" \
  fs.s3a.session.token=FwoGZXIvYXdzEXAMPLETOKEN
trace s3a-session-token-with-long-term-key-ls ls "$data" "${base[@]}" "${full[@]}" "$temp_provider" \
  fs.s3a.session.token="$session_token"
trace s3a-unknown-credential-provider-ls ls "$data" "${base[@]}" "${full[@]}" \
  fs.s3a.aws.credentials.provider=com.example.NoSuchProvider
# permissions
trace s3a-access-denied-ls ls "$data" "${base[@]}" "${noread[@]}"
trace s3a-access-denied-read read "$csv" "${base[@]}" "${noread[@]}"
trace s3a-access-denied-write write "$new" "${base[@]}" "${nowrite[@]}"
trace s3a-access-denied-create-no-list-write write "$new" "${base[@]}" "${noread[@]}"
# bucket
trace s3a-no-such-bucket-ls ls s3a://oracle-missing/data/ "${base[@]}" "${full[@]}"
trace s3a-no-such-bucket-probe-ls ls s3a://oracle-missing/data/ "${base[@]}" "${full[@]}" fs.s3a.bucket.probe=2
trace s3a-no-such-bucket-write write s3a://oracle-missing/out/part-0000.csv "${base[@]}" "${full[@]}"
# endpoint and network
trace s3a-connection-refused-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.endpoint="http://127.0.0.1:$closed_port"
trace s3a-connection-refused-write write "$new" "${base[@]}" "${full[@]}" \
  fs.s3a.endpoint="http://127.0.0.1:$closed_port"
trace s3a-unknown-host-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.endpoint=http://nosuchhost.invalid:9000
trace s3a-virtual-host-localhost-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.path.style.access=false \
  fs.s3a.endpoint="http://localhost:$moto_port"
trace s3a-https-to-http-endpoint-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.endpoint="https://127.0.0.1:$moto_port"
trace s3a-connect-timeout-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.endpoint="http://127.0.0.1:$backlog_port"
trace s3a-read-timeout-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.endpoint="http://127.0.0.1:$silent_port"
trace s3a-read-timeout-stat stat "$csv" "${base[@]}" "${full[@]}" fs.s3a.endpoint="http://127.0.0.1:$silent_port"
trace s3a-connection-pool-timeout-open open-many:2 s3a://oracle-data/data/big.bin "${base[@]}" "${full[@]}" \
  fs.s3a.connection.maximum=1 fs.s3a.connection.establish.timeout=1000
# buffer directory
trace s3a-buffer-dir-not-configured-write write "$new" --no-defaults "${base[@]}" "${full[@]}" "$s3a_impl"
trace s3a-buffer-dir-read-only-write write "$new" "${base[@]}" "${full[@]}" fs.s3a.buffer.dir=/mnt/s3a-buffer-ro
trace s3a-buffer-dir-no-space-write write "$new" "${base[@]}" "${full[@]}" fs.s3a.buffer.dir=/mnt/s3a-buffer-small
# unparseable values
trace s3a-timeout-with-unit-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.connection.timeout=10s
trace s3a-multipart-size-abc-write write "$new" "${base[@]}" "${full[@]}" fs.s3a.multipart.size=abc
# a 500 from the store. moto fails on a signature-V2 (S3SignerType) Authorization header with an internal
# error; AWS would answer 400 "Please use AWS4-HMAC-SHA256" instead: this is a genuine S3A 500 trace, not a
# genuine signature-V2 one
trace s3a-internal-error-500-ls ls "$data" "${base[@]}" "${full[@]}" fs.s3a.signing-algorithm=S3SignerType
# classpath
trace hadoop-no-filesystem-for-scheme-s3 ls s3://oracle-data/data/ "${base[@]}" "${full[@]}"
# without core-default.xml nothing maps s3a:// to S3AFileSystem (hadoop-aws 3.3.1 has no service entry)
trace hadoop-no-filesystem-for-scheme-s3a-no-defaults ls "$data" --no-defaults "${base[@]}" "${full[@]}"
trace hadoop-no-filesystem-for-scheme-s3n ls s3n://oracle-data/data/ "${base[@]}" "${full[@]}"
CP="$cache/classes:$hadoop_cp:$bundle_jar" trace hadoop-aws-jar-missing-ls ls "$data" "${base[@]}" "${full[@]}"
CP="$cache/classes:$hadoop_cp:$aws_jar" trace aws-sdk-bundle-missing-ls ls "$data" "${base[@]}" "${full[@]}"
CP="$cache/classes:$hadoop_cp:$aws_jar:$split_sdk" trace aws-sdk-split-jars-ls ls "$data" "${base[@]}" "${full[@]}"
CP="$mismatch_cp" trace hadoop-aws-3.3.1-on-hadoop-common-3.4.1-ls ls "$data" "${base[@]}" "${full[@]}"
# negatives: look close, are no S3 filesystem failure
trace negative-local-file-not-found-read read file:///nonexistent/input/part-0000.csv
trace negative-s3a-object-not-found-read read s3a://oracle-data/data/part-9999.csv "${base[@]}" "${full[@]}"
trace negative-hdfs-connection-refused-ls ls "hdfs://127.0.0.1:$closed_port/user/oracle/data/" \
  ipc.client.connect.max.retries=0
trace negative-user-code-number-format parse-count s3a://oracle-data/data/_record_count "${base[@]}" "${full[@]}"

echo "run.sh: wrote $traces traces under fixtures/diagnose/genuine/hadoop/"
if [ "${#broken[@]}" -gt 0 ]; then
  echo "run.sh: no failure trace for: ${broken[*]}" >&2
  exit 1
fi
