//! Deterministic directory trees for tests and benchmarks, with the counts a
//! correct scanner must report. Files are sparse (a length, no data) except
//! one in 64, so a million-file tree costs little disk and disk usage
//! differs from apparent size.
//!
//! Shapes: `mixed` (a source-tree mix: lognormal files per directory, fan-out
//! 0-6, depth up to 14, plus one flat directory holding a tenth of the
//! files), `flat` (one directory), `deep` (a chain), `wide` (many small
//! siblings). `hostile` adds symlinks (to a file, to a parent, dangling, a
//! loop), hard links, a FIFO and a socket, names that are not UTF-8 or hold
//! spaces and newlines, empty directories, and a chain of directories whose
//! path is longer than PATH_MAX.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Mixed,
    Flat,
    Deep,
    Wide,
}

impl Shape {
    pub fn parse(s: &str) -> Option<Shape> {
        match s {
            "mixed" => Some(Shape::Mixed),
            "flat" => Some(Shape::Flat),
            "deep" => Some(Shape::Deep),
            "wide" => Some(Shape::Wide),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Shape::Mixed => "mixed",
            Shape::Flat => "flat",
            Shape::Deep => "deep",
            Shape::Wide => "wide",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub files: usize,
    pub seed: u64,
    pub shape: Shape,
    pub hostile: bool,
}

impl Spec {
    /// A name that identifies the tree, for caching it between runs.
    pub fn key(&self) -> String {
        format!(
            "{}-{}-s{}{}",
            self.shape.name(),
            self.files,
            self.seed,
            if self.hostile { "-hostile" } else { "" }
        )
    }
}

/// What the generator made, counted by the README's rules ("What is counted").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Made {
    pub files: u64,
    pub dirs: u64,
    pub symlinks: u64,
    pub other: u64,
    pub bytes: u64,
}

/// The component repeated to build the path longer than PATH_MAX.
pub const LONG_COMPONENT_LEN: usize = 200;
pub const LONG_CHAIN_DEPTH: usize = 30;

struct Gen {
    rng: fastrand::Rng,
    made: Made,
}

const EXTENSIONS: [&str; 14] = [
    "rs", "c", "h", "py", "txt", "md", "json", "png", "o", "so", "js", "html", "", "log",
];

impl Gen {
    fn normal(&mut self) -> f64 {
        // Box-Muller; 1 - f64() keeps the logarithm finite.
        let u1 = 1.0 - self.rng.f64();
        let u2 = self.rng.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        (mu + sigma * self.normal()).exp()
    }

    fn name(&mut self, i: usize) -> String {
        let ext = EXTENSIONS[self.rng.usize(..EXTENSIONS.len())];
        if ext.is_empty() {
            format!("f{i:06}")
        } else {
            format!("f{i:06}.{ext}")
        }
    }

    fn file(&mut self, path: &Path) -> io::Result<()> {
        let mut size = self.lognormal(8.0, 2.2).min((4u64 << 30) as f64) as u64;
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o644)
            .open(path)?;
        if self.rng.u32(..64) == 0 {
            size = size.min(16384);
            let data: Vec<u8> = (0..size).map(|_| self.rng.u8(..)).collect();
            file.write_all(&data)?;
        } else {
            file.set_len(size)?;
        }
        self.made.files += 1;
        self.made.bytes += size;
        Ok(())
    }

    fn dir(&mut self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)?;
        self.made.dirs += 1;
        Ok(())
    }
}

/// Builds the tree described by `spec` in `dest` (created; must not exist or
/// be empty) and returns what it made.
pub fn generate(dest: &Path, spec: &Spec) -> io::Result<Made> {
    fs::create_dir_all(dest)?;
    if fs::read_dir(dest)?.next().is_some() {
        return Err(io::Error::other(format!("{} is not empty", dest.display())));
    }
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(spec.seed),
        made: Made::default(),
    };
    let n = spec.files;
    match spec.shape {
        Shape::Flat => {
            for i in 0..n {
                let name = g.name(i);
                g.file(&dest.join(name))?;
            }
        }
        Shape::Deep => {
            let per = (n / 2000).max(1);
            let mut dir = dest.to_path_buf();
            let mut i = 0;
            while i < n {
                dir.push("d");
                g.dir(&dir)?;
                for _ in 0..per.min(n - i) {
                    let name = g.name(i);
                    g.file(&dir.join(name))?;
                    i += 1;
                }
            }
        }
        Shape::Wide => {
            let mut i = 0;
            let mut k = 0;
            while i < n {
                let dir = dest.join(format!("w{k:07}"));
                k += 1;
                g.dir(&dir)?;
                for _ in 0..g.rng.usize(1..=6).min(n - i) {
                    let name = g.name(i);
                    g.file(&dir.join(name))?;
                    i += 1;
                }
            }
        }
        Shape::Mixed => mixed(&mut g, dest, n)?,
    }
    if spec.hostile {
        hostile(&mut g, &dest.join("hostile"))?;
    }
    Ok(g.made)
}

fn mixed(g: &mut Gen, dest: &Path, n: usize) -> io::Result<()> {
    let big = n / 10;
    let flat = dest.join("huge_flat");
    g.dir(&flat)?;
    for i in 0..big {
        let name = g.name(i);
        g.file(&flat.join(name))?;
    }
    let mut i = big;
    let mut queue: Vec<(PathBuf, u32)> = vec![(dest.to_path_buf(), 0)];
    while i < n {
        if queue.is_empty() {
            queue.push((dest.to_path_buf(), 0));
        }
        let pick = if g.rng.f64() < 0.3 {
            g.rng.usize(..queue.len())
        } else {
            0
        };
        let (dir, depth) = queue.swap_remove(pick);
        let files = (g.lognormal(1.8, 1.1) as usize).min(n - i);
        for _ in 0..files {
            let name = g.name(i);
            g.file(&dir.join(name))?;
            i += 1;
        }
        if depth < 14 {
            let fanout = [0, 0, 1, 1, 2, 2, 3, 4, 6][g.rng.usize(..9)];
            for s in 0..fanout {
                let sub = dir.join(format!("d{depth:02}_{s}_{i}"));
                g.dir(&sub)?;
                queue.push((sub, depth + 1));
            }
        }
    }
    Ok(())
}

fn hostile(g: &mut Gen, h: &Path) -> io::Result<()> {
    use std::os::unix::fs::symlink;
    g.dir(h)?;
    let target = h.join("target.txt");
    g.file(&target)?;
    for (name, to) in [
        ("link_to_file", "target.txt"),
        ("link_to_parent", ".."),
        ("dangling", "does/not/exist"),
        ("loop_a", "loop_b"),
        ("loop_b", "loop_a"),
    ] {
        symlink(to, h.join(name))?;
        g.made.symlinks += 1;
    }
    let target_size = fs::metadata(&target)?.len();
    for k in 0..3 {
        fs::hard_link(&target, h.join(format!("hardlink_{k}")))?;
        g.made.files += 1;
        g.made.bytes += target_size;
    }
    let names: [&[u8]; 7] = [
        b"bad_\xff\xfe_name",
        b"latin1_\xe9t\xe9",
        b"with space",
        b"new\nline",
        b"-dash-start",
        "ünïcødé_✓".as_bytes(),
        b"tab\there",
    ];
    for raw in names {
        File::create(h.join(OsStr::from_bytes(raw)))?;
        g.made.files += 1;
    }
    rustix::fs::mknodat(
        rustix::fs::CWD,
        h.join("fifo"),
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )?;
    g.made.other += 1;
    // The listener is dropped at once; the socket file stays.
    std::os::unix::net::UnixListener::bind(h.join("socket"))?;
    g.made.other += 1;
    for k in 0..5 {
        g.dir(&h.join(format!("empty_{k}")))?;
    }
    // A chain of directories whose full path exceeds PATH_MAX: built with
    // openat from each level, since the full path cannot be opened.
    let long = h.join("longpath");
    g.dir(&long)?;
    let component = "L".repeat(LONG_COMPONENT_LEN);
    let mut fd = rustix::fs::open(
        &long,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
        rustix::fs::Mode::empty(),
    )?;
    for _ in 0..LONG_CHAIN_DEPTH {
        rustix::fs::mkdirat(
            &fd,
            component.as_str(),
            rustix::fs::Mode::from_raw_mode(0o755),
        )?;
        g.made.dirs += 1;
        fd = rustix::fs::openat(
            &fd,
            component.as_str(),
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
            rustix::fs::Mode::empty(),
        )?;
    }
    let file = rustix::fs::openat(
        &fd,
        "deep_file",
        rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CREATE,
        rustix::fs::Mode::from_raw_mode(0o644),
    )?;
    rustix::io::write(&file, b"0123456789")?;
    g.made.files += 1;
    g.made.bytes += 10;
    Ok(())
}
