#!/usr/bin/env python3
"""Writes a Flink 1.17.2 home with N jars (default 300) for benchmarking `s3lint check`: lib/ with flink-dist
(20,000 entries, like the real one), plugins/s3-fs-hadoop/, opt/, and N-5 further jars in lib/ of 300-3,000
entries each, every one with the MANIFEST.MF and pom.properties Maven writes.

usage: make_flink_home.py DIR [N]"""
import os
import sys
import zipfile

home, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300
stamp = (2023, 1, 1, 0, 0, 0)


def jar(path, group, artifact, version, entries):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("META-INF/MANIFEST.MF", stamp),
                   f"Manifest-Version: 1.0\r\nImplementation-Title: {artifact}\r\nImplementation-Version: {version}\r\n\r\n")
        z.writestr(zipfile.ZipInfo(f"META-INF/maven/{group}/{artifact}/pom.properties", stamp),
                   f"groupId={group}\nartifactId={artifact}\nversion={version}\n")
        pkg = group.replace(".", "/")
        for i in range(entries):
            z.writestr(zipfile.ZipInfo(f"{pkg}/{artifact.replace('-', '/')}/C{i}.class", stamp), b"\xca\xfe\xba\xbe" * 64)


os.makedirs(f"{home}/conf", exist_ok=True)
with open(f"{home}/conf/flink-conf.yaml", "w") as f:
    f.write("jobmanager.rpc.address: localhost\nstate.checkpoints.dir: s3://bench-bucket/checkpoints\n")
jar(f"{home}/lib/flink-dist-1.17.2.jar", "org.apache.flink", "flink-dist", "1.17.2", 20000)
jar(f"{home}/plugins/s3-fs-hadoop/flink-s3-fs-hadoop-1.17.2.jar", "org.apache.flink", "flink-s3-fs-hadoop", "1.17.2", 3000)
jar(f"{home}/opt/flink-s3-fs-presto-1.17.2.jar", "org.apache.flink", "flink-s3-fs-presto", "1.17.2", 3000)
jar(f"{home}/opt/flink-python-1.17.2.jar", "org.apache.flink", "flink-python", "1.17.2", 1000)
for i in range(n - 4):
    jar(f"{home}/lib/libdep{i:03d}-1.{i % 10}.{i}.jar", f"com.example.dep{i}", f"libdep{i:03d}", f"1.{i % 10}.{i}", 300 + (i * 37) % 2700)
print(f"{home}: {n} jars")
