#!/usr/bin/env python3
"""Records the jar inventory of one installed distribution: for every jar under HOME, its path relative to HOME
and the entries s3lint's jar identification reads (src/deployment/classpath.rs, `identify`):

- `manifest`: the attributes of META-INF/MANIFEST.MF's main section that identify a jar
  (Implementation-Title/-Version/-Vendor-Id, Bundle-Version, Bundle-SymbolicName, Automatic-Module-Name);
- `poms`: every META-INF/maven/<group>/<artifact>/pom.properties, in central-directory order, with the entry
  name and its groupId / artifactId / version (shaded jars carry many);
- `notice`: META-INF/NOTICE (or NOTICE.txt): the entry name and its `- ...` list lines (the bundled-dependency
  lines, the only lines s3lint reads).

Names and fields only, never the jars: tests/pristine_distributions.rs rebuilds tiny jars from this.

usage: inventory.py HOME DISTRIBUTION VERSION SOURCE OUT.json
"""
import json
import os
import sys
import zipfile

MANIFEST_FIELDS = [
    "Implementation-Title",
    "Implementation-Version",
    "Implementation-Vendor-Id",
    "Bundle-Version",
    "Bundle-SymbolicName",
    "Automatic-Module-Name",
]


def main_section(text):
    """The main section of a manifest (attributes up to the first blank line), continuation lines joined."""
    attrs = {}
    last = None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "":
            break
        if line.startswith(" "):
            if last is not None:
                attrs[last] += line[1:]
            continue
        if ":" in line:
            key, value = line.split(":", 1)
            last = key.strip()
            attrs[last] = value.strip()
    return attrs


def pom_fields(text):
    """groupId / artifactId / version of a pom.properties (java.util.Properties `key=value` lines)."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        for sep in ("=", ":"):
            if sep in line:
                key, value = line.split(sep, 1)
                if key.strip() in ("groupId", "artifactId", "version"):
                    out[key.strip()] = value.strip()
                break
    return out


def describe(path):
    entry = {"path": None}
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        return {"unreadable": str(e)}
    with z:
        names = z.namelist()
        if "META-INF/MANIFEST.MF" in names:
            attrs = main_section(z.read("META-INF/MANIFEST.MF").decode("utf-8", "replace"))
            entry["manifest"] = {k: attrs[k] for k in MANIFEST_FIELDS if k in attrs}
        poms = []
        for n in names:
            if n.startswith("META-INF/maven/") and n.endswith("/pom.properties"):
                fields = pom_fields(z.read(n).decode("utf-8", "replace"))
                poms.append({"entry": n, **fields})
        if poms:
            entry["poms"] = poms
        for n in ("META-INF/NOTICE", "META-INF/NOTICE.txt"):
            if n in names:
                text = z.read(n).decode("utf-8", "replace")
                lines = [l.strip() for l in text.splitlines() if l.strip().startswith("- ")]
                entry["notice"] = {"entry": n, "lines": lines}
                break
    return entry


def main():
    home, distribution, version, source, out = sys.argv[1:6]
    jars = []
    for dirpath, dirnames, filenames in os.walk(home):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(".jar"):
                full = os.path.join(dirpath, f)
                entry = describe(full)
                entry["path"] = os.path.relpath(full, home)
                jars.append(entry)
    jars.sort(key=lambda j: j["path"])
    doc = {
        "distribution": distribution,
        "version": version,
        "source": source,
        "home": os.path.basename(os.path.normpath(home)),
        "jars": jars,
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    print(f"{out}: {len(jars)} jars", file=sys.stderr)


if __name__ == "__main__":
    main()
