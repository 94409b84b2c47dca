//! File paths as RFC 3986 URI references, for SARIF's `artifactLocation`: a path under the root (the working
//! directory) becomes a relative reference to the root's `file://` URI, any other path a `file://` URI of its
//! own; every byte outside the unreserved set (space, `%`, `:`, `#`, non-ASCII…) is percent-encoded.

use std::path::{Component, Path, PathBuf};

/// Where a file is, as a SARIF artifact location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// A relative reference, resolved against the root (`uriBaseId`).
    UnderRoot(String),
    /// An absolute `file://` URI.
    Absolute(String),
    /// A relative reference with no known root (the working directory could not be determined).
    Relative(String),
}

/// Locates the file shown as `display` (a path as given on the command line, relative to the working directory
/// `root`, or absolute).
pub fn locate(display: &str, root: Option<&Path>) -> Located {
    let path = Path::new(display);
    let Some(root) = root else {
        return if path.is_absolute() { Located::Absolute(file_uri(path)) } else { Located::Relative(encode(path)) };
    };
    let full = normalise(&root.join(path));
    match full.strip_prefix(normalise(root)) {
        Ok(rel) if !rel.as_os_str().is_empty() => Located::UnderRoot(encode(rel)),
        _ => Located::Absolute(file_uri(&full)),
    }
}

/// The `file://` URI of the directory `dir`, ending in `/` as SARIF requires of a base URI.
pub fn dir_uri(dir: &Path) -> String {
    let mut uri = file_uri(&normalise(dir));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The `file://` URI of the absolute path `path` (`file:///C:/x` for a Windows drive path).
fn file_uri(path: &Path) -> String {
    let encoded = encode(path);
    if encoded.starts_with('/') { format!("file://{encoded}") } else { format!("file:///{encoded}") }
}

/// `path` with `.` removed and `..` applied to the part before it, without touching the file system (a finding's
/// path need not exist any more, and symlinks are shown as the user gave them).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path's components joined with `/`, each percent-encoded (a Windows drive `C:` keeps its colon, as in
/// `file:///C:/x`).
fn encode(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        match c {
            Component::RootDir => out.push('/'),
            Component::Prefix(p) => {
                let s = p.as_os_str().to_string_lossy();
                let drive = s.trim_start_matches(r"\\?\");
                out.push_str(&drive.replace('\\', "/"));
                continue;
            }
            Component::CurDir => {}
            Component::ParentDir => push_segment(&mut out, ".."),
            Component::Normal(s) => push_segment(&mut out, &s.to_string_lossy()),
        }
    }
    out
}

fn push_segment(out: &mut String, segment: &str) {
    if !out.is_empty() && !out.ends_with('/') {
        out.push('/');
    }
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/home/ci/repo";

    fn at(display: &str) -> Located {
        locate(display, Some(Path::new(ROOT)))
    }

    #[test]
    fn a_relative_path_is_a_reference_to_the_root() {
        assert_eq!(at("conf/core-site.xml"), Located::UnderRoot("conf/core-site.xml".into()));
        assert_eq!(at("./conf/../conf/core-site.xml"), Located::UnderRoot("conf/core-site.xml".into()));
    }

    #[test]
    fn reserved_and_non_ascii_characters_are_percent_encoded() {
        assert_eq!(
            at("my conf/50%/a:b/#1/core-site.xml"),
            Located::UnderRoot("my%20conf/50%25/a%3Ab/%231/core-site.xml".into())
        );
        assert_eq!(at("réseau/flink-conf.yaml"), Located::UnderRoot("r%C3%A9seau/flink-conf.yaml".into()));
    }

    #[test]
    fn an_absolute_path_under_the_root_is_relative_to_it() {
        assert_eq!(at("/home/ci/repo/conf/core-site.xml"), Located::UnderRoot("conf/core-site.xml".into()));
    }

    #[test]
    fn a_path_outside_the_root_is_a_file_uri() {
        assert_eq!(at("/etc/hadoop/core site.xml"), Located::Absolute("file:///etc/hadoop/core%20site.xml".into()));
        assert_eq!(at("../other/core-site.xml"), Located::Absolute("file:///home/ci/other/core-site.xml".into()));
        assert_eq!(at("/home/ci/repository/x.xml"), Located::Absolute("file:///home/ci/repository/x.xml".into()));
    }

    #[test]
    fn without_a_root_paths_keep_their_kind() {
        assert_eq!(locate("a b/x.xml", None), Located::Relative("a%20b/x.xml".into()));
        assert_eq!(locate("/a b/x.xml", None), Located::Absolute("file:///a%20b/x.xml".into()));
    }

    #[test]
    fn a_base_uri_ends_with_a_slash() {
        assert_eq!(dir_uri(Path::new("/home/ci/my repo")), "file:///home/ci/my%20repo/");
        assert_eq!(dir_uri(Path::new("/")), "file:///");
    }
}
