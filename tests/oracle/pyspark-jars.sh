# Sourced by the oracle scripts that need Spark's or Hadoop's jars: `pyspark_jars VENV VERSION` installs
# pyspark==VERSION into the venv VENV (under $S3LINT_ORACLE_CACHE, never into the repository), once, and prints
# the path of its `jars/` folder.
pyspark_jars() {
  local venv=$1 version=$2
  if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$version')" 2>/dev/null; then
    "$venv/bin/pip" install --quiet "pyspark==$version"
  fi
  "$venv/bin/python" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))'
}
