//! Moving a Flink S3 plugin jar from `lib/` or from directly in `plugins/` into its own folder
//! `plugins/<name>/` of the same Flink home (`s3-plugin-layout`). A move is planned only where it is
//! unambiguous: the folder holds no jar of that plugin yet, no other jar of that plugin is to be moved there, and
//! the other S3 plugin is not installed (both would then serve `s3://`).

use std::path::{Path, PathBuf};

use crate::deployment::{Deployment, JarPlace, JarRef};

/// One jar to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JarMove {
    /// The jar as it is.
    pub from: PathBuf,
    /// Its path as shown to the user.
    pub from_display: String,
    /// The plugin folder it goes into.
    pub to_dir: PathBuf,
    /// That folder as shown to the user (relative where the jar's path was).
    pub to_dir_display: String,
}

impl JarMove {
    /// The shell command that does the move (`mkdir -p DIR && mv JAR DIR/`), quoted for a POSIX shell.
    pub fn command(&self) -> String {
        let dir = quote(&self.to_dir_display);
        format!("mkdir -p {dir} && mv {} {dir}/", quote(&self.from_display))
    }

    /// Moves the jar (creating the folder); refuses to replace a file already there.
    pub fn run(&self) -> Result<(), String> {
        let name = self.from.file_name().ok_or_else(|| format!("{} has no file name", self.from_display))?;
        let to = self.to_dir.join(name);
        let err = |what: &str, e: std::io::Error| {
            format!("cannot {what} {}: {}", self.from_display, crate::source::io_reason(&e))
        };
        std::fs::create_dir_all(&self.to_dir).map_err(|e| err("create the folder for", e))?;
        if std::fs::symlink_metadata(&to).is_ok() {
            return Err(format!("cannot move {}: {} exists", self.from_display, to.display()));
        }
        std::fs::rename(&self.from, &to).map_err(|e| err("move", e))
    }
}

/// The move that puts the plugin `jar` (in `lib/` or directly in `plugins/`) into `plugins/<folder>/` of its
/// Flink home, unless that is ambiguous (see the module doc).
pub fn plan(d: &Deployment, jar: &JarRef) -> Option<JarMove> {
    let plugin = jar.flink_s3_plugin()?;
    let home = home_of(d, jar)?;
    let to_dir = home.join("plugins").join(plugin.folder());
    let depth = jar.path.strip_prefix(&home).ok()?.components().count();
    let home_display = Path::new(&jar.display).ancestors().nth(depth)?;
    let to_dir_display = home_display.join("plugins").join(plugin.folder()).display().to_string();
    // The folder already holds this plugin, or another jar of it would go there too: which one stays is the
    // user's call (the copy every distribution ships in `opt/` does not count).
    let same_plugin = |j: &&JarRef| j.flink_s3_plugin() == Some(plugin) && j.unreadable.is_none();
    let taken = d
        .jars
        .iter()
        .filter(same_plugin)
        .any(|j| j.path != jar.path && j.place != JarPlace::Opt && j.path.starts_with(&home));
    let exists = std::fs::symlink_metadata(to_dir.join(&jar.file_name)).is_ok();
    // With the other plugin installed, both would serve `s3://`: keeping one is the user's call.
    let other = d.installed_s3_plugins().iter().any(|(p, j)| *p != plugin && j.path != jar.path);
    (!taken && !exists && !other).then(|| JarMove {
        from: jar.path.clone(),
        from_display: jar.display.clone(),
        to_dir,
        to_dir_display,
    })
}

/// The Flink home of a jar in its `lib/` (or a sub-folder of it) or directly in its `plugins/`.
fn home_of(d: &Deployment, jar: &JarRef) -> Option<PathBuf> {
    match &jar.place {
        JarPlace::Plugin(None) => jar.path.parent()?.parent().map(Path::to_path_buf),
        JarPlace::Lib => jar
            .path
            .ancestors()
            .filter(|a| a.file_name().is_some_and(|n| n == "lib"))
            .filter_map(Path::parent)
            .find(|home| d.flink_homes.iter().any(|h| h == home))
            .or_else(|| jar.path.parent()?.parent())
            .map(Path::to_path_buf),
        _ => None,
    }
}

/// `s` as one word for a POSIX shell: as it is when it holds only safe characters, else in single quotes.
pub fn quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./-+=:,@%".contains(c);
    if !s.is_empty() && s.chars().all(safe) { s.to_string() } else { format!("'{}'", s.replace('\'', "'\\''")) }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn paths_are_quoted_only_when_a_shell_would_split_them() {
        assert_eq!(
            quote("flink-1.15.4/lib/flink-s3-fs-hadoop-1.15.4.jar"),
            "flink-1.15.4/lib/flink-s3-fs-hadoop-1.15.4.jar"
        );
        assert_eq!(quote("my flink/lib/a.jar"), "'my flink/lib/a.jar'");
        assert_eq!(quote("it's"), "'it'\\''s'");
    }
}
