//! Real data for the benchmarks: files that installed packages and the toolchain ship, read
//! in place (nothing is downloaded): Python's standard library sources, the licence and
//! documentation texts shipped with the Rust toolchain and the system, the `rustc` driver's
//! shared library, and images extracted to raw bytes by `benches/realdata.py` (photographs,
//! a scanned page, a rendered logo, a binary mask). A source that is not on this machine is
//! left out with a note saying why.

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One real corpus: its name in the tables, what it is, and its bytes.
pub struct Source {
    pub name: String,
    pub what: String,
    bytes: Vec<u8>,
}

impl Source {
    /// Exactly `len` bytes: the source's first `len`, repeated from its start where it is
    /// shorter (a run-length coder keeps no history, so the repeat measures the same
    /// statistics again).
    pub fn sized(&self, len: usize) -> Vec<u8> {
        self.bytes.iter().copied().cycle().take(len).collect()
    }

    /// The length of the source itself, before any repetition.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Every real corpus found on this machine, each holding at most `max_len` bytes, and a
/// note for each one left out.
pub fn load(max_len: usize) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut notes = Vec::new();
    let mut add = |r: Result<Source, String>| match r {
        Ok(s) if !s.is_empty() => sources.push(s),
        Ok(s) => notes.push(format!("{}: no bytes found", s.name)),
        Err(e) => notes.push(e),
    };
    add(python_source(max_len));
    add(prose(max_len));
    add(executable(max_len));
    let (images, image_notes) = images(max_len);
    images.into_iter().for_each(|s| add(Ok(s)));
    notes.extend(image_notes);
    (sources, notes)
}

/// The directory `benches/realdata.py` writes to: `$RUNLEN_REALDATA`, else
/// `target/realdata` in the workspace.
pub fn image_dir() -> PathBuf {
    std::env::var_os("RUNLEN_REALDATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/realdata"),
        PathBuf::from,
    )
}

fn output(cmd: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {cmd}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd} {args:?} failed"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn sysroot() -> Result<PathBuf, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    output(&rustc, &["--print", "sysroot"]).map(PathBuf::from)
}

/// Every file below `dir` whose path `keep` accepts, in path order (so the bytes are the
/// same on every run), skipping directories `skip` names.
fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool, skip: &[&str], found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        if p.is_dir() {
            if !skip.iter().any(|s| name.as_deref() == Some(*s)) {
                files(&p, keep, skip, found);
            }
        } else if keep(&p) {
            found.push(p);
        }
    }
}

/// The files' bytes one after another, up to `max_len`.
fn concatenated(paths: &[PathBuf], max_len: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for p in paths {
        if v.len() >= max_len {
            break;
        }
        if let Ok(bytes) = fs::read(p) {
            v.extend_from_slice(&bytes[..bytes.len().min(max_len - v.len())]);
        }
    }
    v
}

fn python_source(max_len: usize) -> Result<Source, String> {
    let stdlib = output(
        "python3",
        &[
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ],
    )
    .map_err(|e| format!("py-source: {e}"))?;
    let mut paths = Vec::new();
    let is_py = |p: &Path| p.extension().is_some_and(|e| e == "py");
    files(Path::new(&stdlib), &is_py, &["site-packages"], &mut paths);
    Ok(Source {
        name: "py-source".into(),
        what: format!("Python standard library sources ({stdlib}, *.py in path order)"),
        bytes: concatenated(&paths, max_len),
    })
}

fn prose(max_len: usize) -> Result<Source, String> {
    let mut paths = Vec::new();
    let is_text = |p: &Path| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        // Plain text only: the toolchain's COPYRIGHT.html is megabytes of markup.
        !name.ends_with(".html")
            && (name.starts_with("LICENSE")
                || name.starts_with("COPYRIGHT")
                || name.ends_with(".txt")
                || name.ends_with(".md"))
    };
    if let Ok(root) = sysroot() {
        files(&root.join("share/doc"), &is_text, &["html"], &mut paths);
    }
    files(
        Path::new("/usr/share/common-licenses"),
        &|_| true,
        &[],
        &mut paths,
    );
    if paths.is_empty() {
        return Err("prose: no licence or README text under the Rust sysroot's share/doc or /usr/share/common-licenses".into());
    }
    Ok(Source {
        name: "prose".into(),
        what: "licence and README texts shipped with the Rust toolchain and in /usr/share/common-licenses".into(),
        bytes: concatenated(&paths, max_len),
    })
}

fn executable(max_len: usize) -> Result<Source, String> {
    let lib = sysroot()
        .map_err(|e| format!("executable: {e}"))?
        .join("lib");
    let mut paths = Vec::new();
    let is_driver = |p: &Path| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        name.starts_with("librustc_driver") && name.ends_with(".so")
    };
    files(&lib, &is_driver, &["rustlib"], &mut paths);
    let path = paths
        .first()
        .ok_or_else(|| format!("executable: no librustc_driver*.so in {}", lib.display()))?;
    let read = || -> std::io::Result<Vec<u8>> {
        let mut f = fs::File::open(path)?;
        let size = f.metadata()?.len();
        let want = (max_len as u64).min(size);
        // From the middle of the file: machine code, not the headers and symbol tables.
        f.seek(SeekFrom::Start((size - want) / 2))?;
        let mut v = Vec::with_capacity(want as usize);
        f.take(want).read_to_end(&mut v)?;
        Ok(v)
    };
    Ok(Source {
        name: "executable".into(),
        what: format!("the middle of {} (x86-64 machine code)", path.display()),
        bytes: read().map_err(|e| format!("executable: {}: {e}", path.display()))?,
    })
}

/// The images listed in `index.tsv` (name, file, description) under [`image_dir`].
fn images(max_len: usize) -> (Vec<Source>, Vec<String>) {
    let dir = image_dir();
    let Ok(index) = fs::read_to_string(dir.join("index.tsv")) else {
        let note = format!(
            "images: no {}; `python3 benches/realdata.py` (with Pillow) extracts them",
            dir.join("index.tsv").display()
        );
        return (Vec::new(), vec![note]);
    };
    let mut sources = Vec::new();
    let mut notes = Vec::new();
    for line in index.lines().filter(|l| !l.trim().is_empty()) {
        let mut cols = line.splitn(3, '\t');
        let (Some(name), Some(file), Some(what)) = (cols.next(), cols.next(), cols.next()) else {
            notes.push(format!("images: bad line in index.tsv: {line:?}"));
            continue;
        };
        match fs::read(dir.join(file)) {
            Ok(mut bytes) => {
                bytes.truncate(max_len);
                sources.push(Source {
                    name: name.into(),
                    what: what.into(),
                    bytes,
                });
            }
            Err(e) => notes.push(format!("{name}: cannot read {file}: {e}")),
        }
    }
    (sources, notes)
}
