//! An earlier scan's directories in memory, found by parent and name: what
//! a rescan is measured against (its progress, the browser's change
//! column) and one side of a diff.

use std::ffi::OsStr;
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};

use super::{History, HistoryError, Kind, ScanId, ScanRow};

/// A directory's cumulative sizes in a recorded scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DirSize {
    pub files: u64,
    pub bytes: u64,
    pub disk: u64,
}

/// The scan a rescan is compared with, and its directories.
#[derive(Debug)]
pub struct Baseline {
    pub scan: ScanRow,
    pub dirs: BaselineDirs,
}

/// One scan's directories. Ids are the scan's own, dense from 1 (the
/// root); 0 is "no parent".
#[derive(Debug, Default)]
pub struct BaselineDirs {
    /// Sorted by (parent, name): a child is a binary search.
    rows: Vec<Row>,
    names: Vec<u8>,
    /// Id → index in `rows`.
    by_id: Vec<u32>,
}

#[derive(Debug)]
struct Row {
    parent: u32,
    id: u32,
    name_at: u32,
    name_len: u32,
    size: DirSize,
}

pub const BASE_ROOT: u32 = 1;

impl BaselineDirs {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn row(&self, id: u32) -> Option<&Row> {
        let index = *self.by_id.get(id as usize)?;
        self.rows.get(index as usize)
    }

    fn name_of(&self, row: &Row) -> &[u8] {
        &self.names[row.name_at as usize..(row.name_at + row.name_len) as usize]
    }

    /// The directory `name` in directory `parent`.
    pub fn child(&self, parent: u32, name: &[u8]) -> Option<u32> {
        self.rows
            .binary_search_by(|row| (row.parent, self.name_of(row)).cmp(&(parent, name)))
            .ok()
            .map(|i| self.rows[i].id)
    }

    pub fn size(&self, id: u32) -> Option<DirSize> {
        self.row(id).map(|row| row.size)
    }

    /// Its parent's id (0 for the root).
    pub fn parent(&self, id: u32) -> Option<u32> {
        self.row(id).map(|row| row.parent)
    }

    /// Its name (the root's is its full path).
    pub fn name(&self, id: u32) -> Option<&[u8]> {
        self.row(id).map(|row| self.name_of(row))
    }

    /// Its full path.
    pub fn path(&self, id: u32) -> PathBuf {
        let mut names = Vec::new();
        let mut at = id;
        while let Some(row) = self.row(at) {
            names.push(self.name_of(row));
            at = row.parent;
        }
        let mut path = PathBuf::new();
        for name in names.iter().rev() {
            path.push(OsStr::from_bytes(name));
        }
        path
    }

    /// The highest id.
    pub fn top_id(&self) -> u32 {
        self.by_id.len().saturating_sub(1) as u32
    }

    /// Every id, in order: a parent before its children.
    pub fn ids_in_order(&self) -> impl Iterator<Item = u32> + '_ {
        (1..self.by_id.len() as u32).filter(|&id| self.by_id[id as usize] != u32::MAX)
    }

    fn push(&mut self, parent: u32, name: &[u8], id: u32, size: DirSize) {
        let name_at = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.extend_from_slice(name);
        self.rows.push(Row {
            parent,
            id,
            name_at,
            name_len: u32::try_from(name.len()).unwrap_or(0),
            size,
        });
    }

    fn index(&mut self) {
        let names = std::mem::take(&mut self.names);
        let name = |row: &Row| &names[row.name_at as usize..(row.name_at + row.name_len) as usize];
        self.rows
            .sort_unstable_by(|a, b| (a.parent, name(a)).cmp(&(b.parent, name(b))));
        let top = self.rows.iter().map(|row| row.id).max().unwrap_or(0);
        self.by_id = vec![u32::MAX; top as usize + 1];
        for (i, row) in self.rows.iter().enumerate() {
            self.by_id[row.id as usize] = i as u32;
        }
        self.names = names;
    }
}

/// Reads a scan's JSON array of directories straight into `BaselineDirs`.
struct DirsSeed<'a>(&'a mut BaselineDirs);

impl<'de> DeserializeSeed<'de> for DirsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for DirsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of directories")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some((id, parent, Name(name), files, bytes, disk)) =
            seq.next_element::<(u32, u32, Name, u64, u64, u64)>()?
        {
            self.0
                .push(parent, &name, id, DirSize { files, bytes, disk });
        }
        Ok(())
    }
}

/// A name: a string, or the array of its bytes when it is not UTF-8.
struct Name(Vec<u8>);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name or its bytes")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Name, E> {
                Ok(Name(text.as_bytes().to_vec()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Name, A::Error> {
                let mut bytes = Vec::new();
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(Name(bytes))
            }
        }
        deserializer.deserialize_any(NameVisitor)
    }
}

impl History {
    /// The directories of scan `id`.
    pub fn dirs(&self, id: ScanId) -> Result<BaselineDirs, HistoryError> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT dirs FROM scan_dirs WHERE scan = ?1", [id], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.error(&e))?;
        let mut dirs = BaselineDirs::default();
        if let Some(text) = text {
            let mut reader = serde_json::Deserializer::from_str(&text);
            DirsSeed(&mut dirs)
                .deserialize(&mut reader)
                .and_then(|()| reader.end())
                .map_err(|e| {
                    HistoryError::new(
                        &self.path,
                        Kind::Corrupt,
                        format!("the directories of scan {id}: {e}"),
                    )
                })?;
        }
        dirs.index();
        Ok(dirs)
    }

    /// The newest complete scan of `root` with these options, with its
    /// directories.
    pub fn baseline(&self, root: &Path, options: &str) -> Result<Option<Baseline>, HistoryError> {
        let Some(scan) = self.latest_complete(root, options)? else {
            return Ok(None);
        };
        let dirs = self.dirs(scan.id)?;
        Ok(Some(Baseline { scan, dirs }))
    }
}
