#!/usr/bin/env python3
"""Writes a Hadoop core-site.xml of N properties (default 20,000) for benchmarking `s3lint check`: per-bucket
S3A settings for N/8 buckets (endpoint, region, misspelt `endpoint.regoin`, an invalid `connection.maximum`,
a deprecated S3Guard key, a plaintext secret key, a path-style flag, a ${var} reference), so that about half the
properties get a finding, in a file of real size (~150 bytes per property).

usage: make_core_site.py FILE [N]"""
import sys

path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20000
kinds = [
    ("endpoint", lambda b: f"s3.eu-west-1.amazonaws.com"),
    ("endpoint.region", lambda b: "eu-west-1"),
    ("endpoint.regoin", lambda b: "eu-west-1"),
    ("connection.maximum", lambda b: "lots"),
    ("metadatastore.impl", lambda b: "org.apache.hadoop.fs.s3a.s3guard.DynamoDBMetadataStore"),
    ("secret.key", lambda b: f"wJalrXUtnFEMI/K7MDENG/{b:06d}bPxRfiCYEXAMPLEKEY"),
    ("path.style.access", lambda b: "false"),
    ("buffer.dir", lambda b: "${hadoop.tmp.dir}/s3a/" + str(b)),
]
with open(path, "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n')
    f.write("  <property>\n    <name>hadoop.tmp.dir</name>\n    <value>/data/tmp</value>\n  </property>\n")
    for i in range(n - 1):
        bucket, (suffix, value) = i // len(kinds), kinds[i % len(kinds)]
        f.write(f"  <property>\n    <name>fs.s3a.bucket.bucket-{bucket:05d}.{suffix}</name>\n"
                f"    <value>{value(bucket)}</value>\n  </property>\n")
    f.write("</configuration>\n")
print(f"{path}: {n} properties")
