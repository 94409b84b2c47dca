#!/usr/bin/env bash
# Regenerates the genuine traces of fixtures/diagnose/genuine/flink/ (classpath/linkage failures of the
# Hadoop S3 filesystems, Flink's filesystem routes, and close-looking negatives) with the real jars.
#
#   tests/oracle/traces/flink/run.sh            # every scenario
#   tests/oracle/traces/flink/run.sh NAME...    # only these scenarios
#
# Needs python3 (venv + pip), a JDK 17 (javac, java, jar) and curl. Everything it installs lives outside
# the repository, in ${S3LINT_ORACLE_CACHE:-~/.cache/s3lint-oracle}/traces-flink:
#   dl/   sdists fetched with `pip download` (they carry the jars): apache-flink-libraries 1.18.1 and 1.20.1
#         (flink-dist + lib/ + the metrics plugins), pyspark 3.5.1 (hadoop-client-api/runtime 3.3.4),
#         pyspark 2.4.8 (hadoop-common 2.7.3 and its dependencies), sagemaker-pyspark 1.4.5 (hadoop-aws
#         3.3.1, aws-java-sdk-bundle 1.11.901, split aws-java-sdk-* 1.12.262) and 1.4.1 (hadoop-common/aws
#         2.8.1, split aws-java-sdk-* 1.11.835)
#   x/    the unpacked sdists;  classes/ the compiled harness;  venv/ pip's venv (and moto, if missing)
# The moto S3 server (no authentication) is bound to 127.0.0.1 only, on a free port, and stopped at exit.
# A scenario whose operation succeeds writes no trace and is reported as WORKED.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
out=$repo/fixtures/diagnose/genuine/flink
cache=${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}/traces-flink
dl=$cache/dl x=$cache/x venv=$cache/venv
mkdir -p "$dl" "$x" "$out"
start=$(date +%s)

# ---------------------------------------------------------------- install (only what is missing)
[ -x "$venv/bin/pip" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet setuptools wheel; }
fetch() { # fetch SPEC DIRNAME [pip options]: pip download the sdist, unpack it into x/
    local spec=$1 name=$2; shift 2
    [ -d "$x/$name" ] && return
    echo "fetching $spec" >&2
    "$venv/bin/pip" download --quiet --no-deps "$@" -d "$dl/$name" "$spec"
    tar -xzf "$dl/$name"/*.tar.gz -C "$x"
}
fetch apache-flink-libraries==1.18.1 apache-flink-libraries-1.18.1
fetch apache-flink-libraries==1.20.1 apache-flink-libraries-1.20.1
fetch pyspark==3.5.1 pyspark-3.5.1
# pyspark 2.4.8's setup.py calls pypandoc.convert, gone from current pypandoc: build its metadata in our
# own venv (no pypandoc there, so setup.py takes its fallback).
fetch pyspark==2.4.8 pyspark-2.4.8 --no-build-isolation
fetch sagemaker-pyspark==1.4.5 sagemaker_pyspark-1.4.5
fetch sagemaker-pyspark==1.4.1 sagemaker_pyspark-1.4.1
py=python3
if ! python3 -c 'import moto.server' 2>/dev/null; then
    "$venv/bin/python" -c 'import moto.server' 2>/dev/null || "$venv/bin/pip" install --quiet 'moto[server]==5.2.1'
    py=$venv/bin/python
fi

# ---------------------------------------------------------------- harness
classes=$cache/classes work=$(mktemp -d)
moto_pid=
cleanup() { [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
F18L=$x/apache-flink-libraries-1.18.1/deps/lib F20L=$x/apache-flink-libraries-1.20.1/deps/lib
P35=$x/pyspark-3.5.1/deps/jars P24=$x/pyspark-2.4.8/deps/jars
SM5=$x/sagemaker_pyspark-1.4.5/deps/jars SM1=$x/sagemaker_pyspark-1.4.1/deps/jars
rm -rf "$classes" && mkdir -p "$classes" "$work/udf"
javac -nowarn -d "$classes" -cp "$F18L/flink-dist-1.18.1.jar:$P35/hadoop-client-api-3.3.4.jar" "$here/TraceHarness.java"
javac -d "$work/udf" "$here/udf/ParseLine.java"
jar cf "$work/wordcount-job-1.0.jar" -C "$work/udf" .        # the job jar the client used
mkdir -p "$work/empty" && jar cf "$work/wordcount-job-0.9.jar" -C "$work/empty" .   # the stale one the task got

# log configs: WARN and above to stderr, log4j pattern (log4j 2 for Hadoop 3 / Flink, log4j 1 for Hadoop 2)
mkdir -p "$work/log4j2" "$work/log4j1"
cat > "$work/log4j2/log4j2.properties" <<'EOF'
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c [%t] - %m%n
EOF
cat > "$work/log4j1/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.err
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c [%t] - %m%n
EOF

# ---------------------------------------------------------------- classpaths
jars() { ls "$@" | tr '\n' ':'; }
LOG3="$P35/slf4j-api-2.0.7.jar:$P35/log4j-slf4j2-impl-2.20.0.jar:$P35/log4j-api-2.20.0.jar:$P35/log4j-core-2.20.0.jar"
HC334="$P35/hadoop-client-api-3.3.4.jar:$P35/hadoop-client-runtime-3.3.4.jar:$P35/commons-logging-1.1.3.jar"
LANG3="$P35/commons-lang3-3.12.0.jar"           # hadoop-aws 3.3.1 needs it unshaded; hadoop-client-* has none
AWS331="$SM5/hadoop-aws-3.3.1.jar" BUNDLE901="$SM5/aws-java-sdk-bundle-1.11.901.jar"
H3="$classes:$work/log4j2:$HC334:$LOG3"                      # Hadoop 3.3.4 client (Spark 3.5 layout)
H3AWS="$H3:$LANG3:$AWS331:$BUNDLE901"                         # + hadoop-aws 3.3.1 + SDK bundle: works
H27="$classes:$work/log4j1:$(jars "$P24"/*.jar | tr ':' '\n' | grep -v -E '/(spark|hive)-' | tr '\n' ':')"
H28="$classes:$work/log4j1:$SM1/hadoop-common-2.8.1.jar:$SM1/hadoop-auth-2.8.1.jar:$SM1/hadoop-annotations-2.8.1.jar"
H28="$H28:$SM1/htrace-core4-4.0.1-incubating.jar:$(jars "$P24"/*.jar | tr ':' '\n' | grep -v -E '/(spark|hive|hadoop)-' | tr '\n' ':')"
SDK835="$SM1/aws-java-sdk-core-1.11.835.jar:$SM1/aws-java-sdk-s3-1.11.835.jar:$SM1/aws-java-sdk-kms-1.11.835.jar"
F18="$classes:$(jars "$F18L"/*.jar)"
F20="$classes:$(jars "$F20L"/*.jar)"

# ---------------------------------------------------------------- moto (127.0.0.1 only) and a closed port
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
moto_port=$(free_port) closed=$(free_port)
"$py" -m moto.server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$moto_port/" && break; sleep 0.2; done
curl -s -o /dev/null -X PUT "http://127.0.0.1:$moto_port/existing-bucket"
ENDPOINT=http://127.0.0.1:$moto_port
S3A_MOTO="fs.s3a.endpoint=$ENDPOINT fs.s3a.path.style.access=true fs.s3a.connection.ssl.enabled=false
 fs.s3a.access.key=testing fs.s3a.secret.key=testing fs.s3a.attempts.maximum=1 fs.s3a.retry.limit=1
 fs.s3a.retry.interval=10ms fs.s3a.connection.establish.timeout=2000"
S3A_CLOSED=${S3A_MOTO//$moto_port/$closed}
HDFS_FAST="ipc.client.connect.max.retries=0 ipc.client.connect.max.retries.on.timeouts=0"

# ---------------------------------------------------------------- Flink homes (conf/ + plugins/ + lib/)
flink_home() { # flink_home NAME VERSION CONF_FILE_NAME: lays out $work/NAME with an empty conf; echo path
    local h=$work/$1
    mkdir -p "$h/conf" "$h/plugins" "$h/lib"
    cp "$x/apache-flink-libraries-$2/deps/lib/"*.jar "$h/lib/"
    : >"$h/conf/$3"
    echo "$h"
}
conf_lines() { # conf_lines FILE key=value...: appends "key: value" lines
    local f=$1; shift
    for kv in "$@"; do echo "${kv%%=*}: ${kv#*=}" >>"$f"; done
}
flink_s3a_fallback() { # flink.hadoop.* keys are copied into the Hadoop configuration by Flink's HadoopUtils
    local f=$1 endpoint=$2; shift 2
    conf_lines "$f" "fs.allowed-fallback-filesystems=s3a" "$@"
    for kv in $endpoint; do conf_lines "$f" "flink.hadoop.$kv"; done
}

# ---------------------------------------------------------------- runner
selected=("$@")
ran=0 written=0 worked=()
want() { [ ${#selected[@]} -eq 0 ] && return 0; local s; for s in "${selected[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
# trace NAME CLASSPATH [FLINK_HOME|-] HARNESS_ARGS...
trace() {
    local name=$1 cp=$2 home=$3; shift 3
    want "$name" || return 0
    ran=$((ran + 1))
    # No AWS instance-metadata look-ups (they would leave the machine): every S3A scenario that reaches
    # the SDK names the moto endpoint and static keys, and these switches keep the SDK off 169.254.169.254.
    local envs=(PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 AWS_EC2_METADATA_DISABLED=true
        AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent)
    local props=(-Dfile.encoding=UTF-8 -Djava.io.tmpdir=/tmp -Dcom.amazonaws.sdk.disableEc2Metadata=true
        -Dlog4j.configurationFile="$work/log4j2/log4j2.properties")
    if [ "$home" != - ]; then
        envs+=(FLINK_CONF_DIR="$home/conf" FLINK_PLUGINS_DIR="$home/plugins")
    fi
    local rc=0
    (cd "$work" && env -i "${envs[@]}" java "${props[@]}" -cp "$cp" s3lint.oracle.TraceHarness "$@") \
        >"$work/$name.out" 2>&1 || rc=$?
    if [ $rc -eq 1 ]; then
        mv "$work/$name.out" "$out/$name.txt"
        written=$((written + 1))
        echo "  $name.txt" >&2
    else
        rm -f "$out/$name.txt"
        worked+=("$name (exit $rc)")
        echo "  $name: WORKED, no trace (exit $rc): $(tail -1 "$work/$name.out")" >&2
    fi
}

echo "scenarios:" >&2
# ---- plain Hadoop: filesystem class / scheme
trace hadoop334-s3a-no-hadoop-aws "$H3" - hadoop s3a://data-lake/events/2024/ status
trace hadoop334-s3-impl-s3a-no-hadoop-aws "$H3" - hadoop s3://data-lake/events/ status \
    fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem
trace hadoop334-s3n-impl-native-no-hadoop-aws "$H3" - hadoop s3n://data-lake/events/ status \
    fs.s3n.impl=org.apache.hadoop.fs.s3native.NativeS3FileSystem
trace hadoop334-s3-no-impl "$H3AWS" - hadoop s3://data-lake/events/ status
trace hadoop334-s3n-no-impl "$H3" - hadoop s3n://data-lake/events/ status
trace hadoop-aws331-s3n-removed-stub "$H3AWS" - hadoop s3n://data-lake/events/ status
trace hadoop273-s3n-impl-native-no-hadoop-aws "$H27" - hadoop s3n://data-lake/events/ status \
    fs.s3n.impl=org.apache.hadoop.fs.s3native.NativeS3FileSystem
trace hadoop273-s3-no-impl "$H27" - hadoop s3://data-lake/events/ status
trace hadoop273-s3a-no-hadoop-aws "$H27" - hadoop s3a://data-lake/events/ status
trace hadoop334-filecontext-s3a-no-hadoop-aws "$H3" - hadoop s3a://data-lake/events/ fc
trace hadoop273-filecontext-s3a "$H27" - hadoop s3a://data-lake/events/ fc
# ---- plain Hadoop: hadoop-aws / AWS SDK linkage
trace hadoop-aws331-no-aws-sdk "$H3:$LANG3:$AWS331" - hadoop s3a://data-lake/events/ status
trace hadoop-aws331-split-sdk-no-dynamodb \
    "$H3:$LANG3:$AWS331:$(jars "$SM5"/aws-java-sdk-{core,s3,kms,sts}-1.12.262.jar)" - \
    hadoop s3a://data-lake/events/ status $S3A_MOTO
trace hadoop-aws331-on-client334-no-commons-lang3 "$H3:$AWS331:$BUNDLE901" - \
    hadoop s3a://data-lake/events/ status $S3A_MOTO
trace hadoop-aws331-on-common273 "$H27:$AWS331:$BUNDLE901" - hadoop s3a://data-lake/events/ status $S3A_MOTO
trace hadoop-aws281-on-common273 "$H27:$SM1/hadoop-aws-2.8.1.jar:$SDK835" - \
    hadoop s3a://data-lake/events/ status $S3A_MOTO
trace hadoop-aws281-sdk-s3-without-core "$H28:$SM1/hadoop-aws-2.8.1.jar:$SM1/aws-java-sdk-s3-1.11.835.jar" - \
    hadoop s3a://existing-bucket/events/ status $S3A_MOTO
trace hadoop-aws281-sdk-core-1.11-s3-1.12 \
    "$H28:$SM1/hadoop-aws-2.8.1.jar:$SM1/aws-java-sdk-core-1.11.835.jar:$SM5/aws-java-sdk-s3-1.12.262.jar:$SM5/aws-java-sdk-kms-1.12.262.jar" - \
    hadoop s3a://existing-bucket/events/ status $S3A_MOTO
# hadoop-aws 2.8.1 with an SDK other than its own: these are expected to WORK (no trace)
trace hadoop-aws281-sdk-bundle-1.11.901 "$H28:$SM1/hadoop-aws-2.8.1.jar:$BUNDLE901" - \
    hadoop s3a://existing-bucket/events/x.txt create $S3A_MOTO
trace hadoop-aws281-sdk-split-1.12.262 \
    "$H28:$SM1/hadoop-aws-2.8.1.jar:$(jars "$SM5"/aws-java-sdk-{core,s3,kms}-1.12.262.jar)" - \
    hadoop s3a://existing-bucket/events/x.txt create $S3A_MOTO
# ---- credential provider classes
trace hadoop-aws331-provider-sdk-v2-class "$H3AWS" - hadoop s3a://existing-bucket/events/ status $S3A_MOTO \
    fs.s3a.aws.credentials.provider=software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider
trace hadoop-aws331-provider-misspelt "$H3AWS" - hadoop s3a://existing-bucket/events/ status $S3A_MOTO \
    fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialProvider
# ---- live endpoint (moto, no auth) / closed port
trace hadoop-aws331-moto-missing-bucket "$H3AWS" - hadoop s3a://missing-bucket/events/x.txt create $S3A_MOTO
trace hadoop-aws331-moto-missing-bucket-probe "$H3AWS" - hadoop s3a://missing-bucket/events/ status $S3A_MOTO \
    fs.s3a.bucket.probe=2
trace hadoop-aws281-moto-missing-bucket "$H28:$SM1/hadoop-aws-2.8.1.jar:$SDK835" - \
    hadoop s3a://missing-bucket/events/ status $S3A_MOTO
trace hadoop-aws331-closed-port "$H3AWS" - hadoop s3a://existing-bucket/events/x.txt create $S3A_CLOSED

# ---- Flink 1.18.1 / 1.20.1: plugin routes
h=$(flink_home f18-empty 1.18.1 flink-conf.yaml)
trace flink118-s3-no-plugins "$F18" "$h" flink s3://data-lake/checkpoints/ status
trace flink118-s3n-no-hadoop "$F18" "$h" flink s3n://data-lake/checkpoints/ status
trace flink118-s3n-hadoop334 "$F18:$HC334" "$h" flink s3n://data-lake/checkpoints/ status
trace flink118-s3a-hadoop-aws-in-lib "$F18:$HC334:$LANG3:$AWS331:$BUNDLE901" "$h" \
    flink s3a://data-lake/checkpoints/ status
h=$(flink_home f18-metrics-plugins 1.18.1 flink-conf.yaml)
cp -r "$x/apache-flink-libraries-1.18.1/deps/plugins/"metrics-* "$h/plugins/"
trace flink118-s3p-only-metrics-plugins "$F18" "$h" flink s3p://data-lake/checkpoints/ status
h=$(flink_home f18-hadoop-aws-as-plugin 1.18.1 flink-conf.yaml)
mkdir -p "$h/plugins/s3-fs-hadoop" && cp "$AWS331" "$BUNDLE901" "$h/plugins/s3-fs-hadoop/"
trace flink118-s3a-hadoop-aws-jars-in-plugins-dir "$F18:$HC334" "$h" flink s3a://data-lake/checkpoints/ status
h=$(flink_home f18-hadoop-aws-in-plugins-root 1.18.1 flink-conf.yaml)
cp "$AWS331" "$BUNDLE901" "$h/plugins/"
trace flink118-s3a-jars-loose-in-plugins-root "$F18:$HC334" "$h" flink s3a://data-lake/checkpoints/ status
h=$(flink_home f18-fallback-s3 1.18.1 flink-conf.yaml)
conf_lines "$h/conf/flink-conf.yaml" "fs.allowed-fallback-filesystems=s3"
trace flink118-s3-fallback-no-hadoop "$F18" "$h" flink s3://data-lake/checkpoints/ status
trace flink118-s3-fallback-hadoop334-no-s3-impl "$F18:$HC334:$LANG3:$AWS331:$BUNDLE901" "$h" \
    flink s3://data-lake/checkpoints/ status
h=$(flink_home f18-fallback-s3a 1.18.1 flink-conf.yaml)
flink_s3a_fallback "$h/conf/flink-conf.yaml" "$S3A_MOTO"
trace flink118-s3a-fallback-no-hadoop-aws "$F18:$HC334" "$h" flink s3a://existing-bucket/checkpoints/ status
trace flink118-s3a-fallback-no-aws-sdk "$F18:$HC334:$LANG3:$AWS331" "$h" flink s3a://existing-bucket/checkpoints/ status
trace flink118-s3a-fallback-moto-missing-bucket "$F18:$HC334:$LANG3:$AWS331:$BUNDLE901" "$h" \
    flink s3a://missing-bucket/checkpoints/chk-1/_metadata create
h=$(flink_home f18-fallback-s3a-closed 1.18.1 flink-conf.yaml)
flink_s3a_fallback "$h/conf/flink-conf.yaml" "$S3A_CLOSED"
trace flink118-s3a-fallback-closed-port "$F18:$HC334:$LANG3:$AWS331:$BUNDLE901" "$h" \
    flink s3a://existing-bucket/checkpoints/chk-1/_metadata create
h=$(flink_home f20-empty 1.20.1 config.yaml)
trace flink120-s3-no-plugins "$F20" "$h" flink s3://data-lake/checkpoints/ get
trace flink120-s3a-no-plugins "$F20" "$h" flink s3a://data-lake/savepoints/ status
h=$(flink_home f20-fallback-s3 1.20.1 config.yaml)
conf_lines "$h/conf/config.yaml" "fs.allowed-fallback-filesystems=s3" \
    "flink.hadoop.fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem"
for kv in $S3A_MOTO; do conf_lines "$h/conf/config.yaml" "flink.hadoop.$kv"; done
trace flink120-s3-fallback-s3a-impl-moto-missing-bucket "$F20:$HC334:$LANG3:$AWS331:$BUNDLE901" "$h" \
    flink s3://missing-bucket/checkpoints/ list

# ---- negatives (not S3 filesystem failures)
h=$(flink_home f18-neg 1.18.1 flink-conf.yaml)
for kv in $HDFS_FAST; do conf_lines "$h/conf/flink-conf.yaml" "flink.hadoop.$kv"; done
trace neg-flink118-hdfs-closed-port "$F18:$HC334" "$h" flink "hdfs://127.0.0.1:$closed/flink/checkpoints" status
trace neg-hadoop334-hdfs-closed-port "$H3" - hadoop "hdfs://127.0.0.1:$closed/warehouse/events" status $HDFS_FAST
trace neg-flink118-local-missing-file "$F18" "$h" flink file:///tmp/s3lint-no-such-dir/input.csv status
trace neg-flink118-usercode-class-not-found "$F18" - flink-usercode \
    "$work/wordcount-job-1.0.jar" "$work/wordcount-job-0.9.jar" com.example.udf.ParseLine
trace neg-user-code-number-format "$F18" - user-parse "2024-05-01,12a,click"
trace neg-flink118-abfs-no-plugin "$F18" "$h" flink abfs://events@datalake.dfs.core.windows.net/raw/ status
trace neg-flink118-gs-no-plugin "$F18:$HC334" "$h" flink gs://data-lake/checkpoints/ status
trace neg-hadoop334-gs-no-filesystem "$H3" - hadoop gs://data-lake/events/ status
trace neg-hadoop334-abfs-no-hadoop-azure "$H3" - hadoop abfs://events@datalake.dfs.core.windows.net/raw/ status

echo "ran $ran scenarios: $written traces written to $(realpath --relative-to="$repo" "$out"), ${#worked[@]} worked" >&2
for w in "${worked[@]}"; do echo "  worked (no trace): $w" >&2; done
missing=$(cd "$out" && for f in *.txt; do grep -q "^$f:" labels.yaml 2>/dev/null || echo "$f"; done)
[ -z "$missing" ] || echo "traces without a label in labels.yaml: $missing" >&2
echo "took $(( $(date +%s) - start ))s" >&2
